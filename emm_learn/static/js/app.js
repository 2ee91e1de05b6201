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

// Autosave worksheet answers shortly after typing stops, and when the page is left.
(function () {
  "use strict";
  var DELAY = 1500;

  document.querySelectorAll("form.worksheet").forEach(function (form) {
    var words = JSON.parse(form.getAttribute("data-messages"));
    form.querySelectorAll("textarea[data-autosave-url]").forEach(function (box) {
      watch(form, box, words);
    });
  });

  function watch(form, box, words) {
    var number = box.name.replace("answer-", "");
    var version = form.elements["version-" + number];
    var language = form.elements["language-" + number];  // the language the answer is written in
    var status = document.getElementById(box.getAttribute("aria-describedby"));
    var text = status.querySelector(".status-text");
    var saved = box.value, timer = null, inFlight = false, stopped = false;
    var savedLanguage = language ? language.value : "";
    function unchanged() {
      return box.value === saved && (!language || language.value === savedLanguage);
    }

    function show(message, isError, action) {
      text.textContent = message + " ";
      status.classList.toggle("is-error", !!isError);
      var old = status.querySelector(".status-action");
      if (old) old.remove();
      if (action) { action.classList.add("status-action"); status.appendChild(action); }
    }

    function link(label, href) {
      var a = document.createElement("a");
      a.href = href; a.textContent = label;
      return a;
    }

    function save(leaving) {
      clearTimeout(timer);
      if (stopped || inFlight || unchanged()) return;
      inFlight = true;
      var sent = box.value, sentLanguage = language ? language.value : "";
      var body = new FormData();
      body.append("csrf_token", form.elements["csrf_token"].value);
      body.append("text", sent);
      body.append("version", version.value);
      if (sentLanguage) body.append("language", sentLanguage);
      show(words.saving);
      fetch(box.getAttribute("data-autosave-url"), {
        method: "POST", body: body, credentials: "same-origin", keepalive: !!leaving,
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) { return [response.status, data]; });
      }).then(function (result) {
        inFlight = false;
        var code = result[0], data = result[1];
        if (code === 200) {
          saved = sent; savedLanguage = sentLanguage; version.value = data.version;
          show(words.saved);
          if (!unchanged()) schedule();
        } else if (code === 409) {
          stopped = true;  // never overwrite the newer version: let the learner compare
          show(data.message, true, link(words.compare, data.compare_url));
        } else if (code === 401) {
          // Send the whole form the plain way: the server keeps the text while the learner signs
          // in again, then puts it back in these boxes.
          var again = document.createElement("button");
          again.type = "button"; again.className = "secondary"; again.textContent = words.signIn;
          again.addEventListener("click", function () { stopped = true; form.submit(); });
          stopped = true;
          show(data.message, true, again);
        } else if (code === 400) {
          show(data.message, true);
        } else {
          retryLater();
        }
      }).catch(function () { inFlight = false; retryLater(); });
    }

    function retryLater() {
      var button = document.createElement("button");
      button.type = "button"; button.className = "secondary"; button.textContent = words.retry;
      button.addEventListener("click", function () { save(false); });
      show(words.failed, true, button);
      timer = setTimeout(function () { save(false); }, 10000);
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(function () { save(false); }, DELAY);
    }

    box.addEventListener("input", function () {
      if (!stopped) { show(words.unsaved); schedule(); }
    });
    box.addEventListener("blur", function () { save(false); });
    if (language) {
      language.addEventListener("change", function () {
        box.lang = language.value;  // spell-checking and screen readers follow the new language
        // A language alone is worth saving only for an answer that exists or has text.
        if (!stopped && (box.value.trim() || version.value !== "0")) save(false);
      });
    }
    window.addEventListener("pagehide", function () { save(true); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(true);
    });
  }
})();
