// EMM Learn: small improvements on top of pages that work without JavaScript.
(function () {
  "use strict";

  // Remember the section a signed-in reader is reading, for "Continue where you left off".
  var chapter = document.querySelector("[data-position-url]");
  if (chapter && "IntersectionObserver" in window) {
    var url = chapter.getAttribute("data-position-url");
    var token = chapter.getAttribute("data-csrf-token");
    var sent = null, timer = null;
    var report = function (anchor) {
      if (anchor === sent) return;
      sent = anchor;
      var body = new FormData();
      body.append("csrf_token", token);
      body.append("section", anchor);
      fetch(url, { method: "POST", body: body, credentials: "same-origin" }).catch(function () {
        sent = null;  // offline for a moment: try again next time
      });
    };
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        clearTimeout(timer);
        // Only a section the reader stays on counts, not one scrolled past.
        timer = setTimeout(function () { report(entry.target.id); }, 1500);
      });
    }, { rootMargin: "0px 0px -60% 0px" });
    document.querySelectorAll("section.narrative[id]").forEach(function (section) {
      observer.observe(section);
    });
  }
})();
