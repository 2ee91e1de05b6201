// Workshop pages: print buttons, the run sheet's countdown, and parts that refresh themselves.
// Every page works without this file: times are printed, and a reload shows the newest answers.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // The countdown: which block of the plan is running, and how long it has left.
  var plan = document.querySelector("[data-countdown]");
  if (plan) {
    var status = plan.querySelector("[data-countdown-status]");
    var rows = Array.prototype.slice.call(plan.querySelectorAll("tr[data-block-start]"));
    var lastAnnounced = null;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var tick = function () {
      var now = Date.now(), text = status.getAttribute("data-after") || "";
      rows.forEach(function (row) {
        var start = Number(row.getAttribute("data-block-start"));
        var end = Number(row.getAttribute("data-block-end"));
        var running = start <= now && now < end;
        row.classList.toggle("is-now", running);
        if (running) {
          var left = Math.ceil((end - now) / 1000);
          text = row.getAttribute("data-block-name") + ": " + Math.floor(left / 60) + ":" +
            pad(left % 60) + " " + (status.getAttribute("data-left") || "");
        }
      });
      if (now < Number(rows[0].getAttribute("data-block-start"))) {
        text = status.getAttribute("data-before") || "";
      }
      status.hidden = !text;
      // Screen readers hear the block change, not every second of the clock.
      var block = text.split(":")[0];
      if (block !== lastAnnounced) { status.setAttribute("aria-live", "polite"); lastAnnounced = block; }
      else { status.setAttribute("aria-live", "off"); }
      status.textContent = text;
    };
    if (rows.length) { tick(); setInterval(tick, 1000); }
  }

  // Parts of a page the server can render alone: fetched again every 10 seconds.
  document.querySelectorAll("[data-live-refresh]").forEach(function (box) {
    var url = box.getAttribute("data-live-refresh");
    var refresh = function () {
      if (document.visibilityState === "hidden") return;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          // The fragment is the server's own escaped, sanitised template output.
          if (html !== null && !box.contains(document.activeElement)) box.innerHTML = html;
        })
        .catch(function () { /* offline for a moment: the next round tries again */ });
    };
    setInterval(refresh, 10000);
  });
})();
