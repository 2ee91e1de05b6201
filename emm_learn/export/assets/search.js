// EMM Learn offline edition: search without a server, in the index that search-index.js holds
// (each language's tree has its own, loaded by its search page; this code is shared).
// Works from file:// (no fetch: the index arrives as a script). The words come from ?q=... when
// the form was sent, and results follow the typing too.
(function () {
  "use strict";
  var index = window.EMM_SEARCH_INDEX;
  var form = document.querySelector("form.offline-search");
  var status = document.getElementById("offline-search-status");
  var list = document.getElementById("offline-search-results");
  if (!index || !form || !status || !list) return;
  var box = form.elements.q;
  var words = JSON.parse(status.getAttribute("data-messages"));
  var stopWords = {};
  index.stop.forEach(function (word) { stopWords[word] = true; });
  var terms = Object.keys(index.terms);
  var MAX_RESULTS = 50;

  // The same splitting as emm_learn/export/search_index.py: lower case, no accents, no ligatures.
  // The stop words are the page's language's, from its index.
  function split(text) {
    var plain = text.toLowerCase().replace(/\u0153/g, "oe").replace(/\u00e6/g, "ae")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    return (plain.match(/[a-z0-9]+/g) || []).filter(function (word) {
      return word.length > 1 && !stopWords[word];
    });
  }

  // term -> {entry: weight}, from base-36 gaps (see encode_postings).
  function postings(term) {
    var found = {}, entry = 0;
    index.terms[term].split(",").forEach(function (code) {
      var value = parseInt(code, 36);
      entry += value >> 2;
      found[entry] = value & 3;
    });
    return found;
  }

  // Each entry's best weight for one word: the word itself, or longer words it begins.
  function scoresFor(word) {
    var scores = {};
    terms.forEach(function (term) {
      var exact = term === word;
      if (!exact && !(word.length > 2 && term.indexOf(word) === 0)) return;
      var found = postings(term), rarity = Math.log(1 + index.entries.length / Object.keys(found).length);
      Object.keys(found).forEach(function (entry) {
        var score = found[entry] * rarity * (exact ? 1 : 0.7);
        if (!(entry in scores) || scores[entry] < score) scores[entry] = score;
      });
    });
    return scores;
  }

  // Entries holding every word, best first.
  function search(query) {
    var total = null;
    split(query).forEach(function (word) {
      var scores = scoresFor(word), next = {};
      Object.keys(scores).forEach(function (entry) {
        if (total === null) next[entry] = scores[entry];
        else if (entry in total) next[entry] = total[entry] + scores[entry];
      });
      total = next;
    });
    return Object.keys(total || {}).map(Number).sort(function (a, b) {
      return total[b] - total[a] || a - b;
    });
  }

  function show(query) {
    list.textContent = "";
    if (!split(query).length) { status.textContent = query.trim() ? words.none : ""; return; }
    var found = search(query);
    var message = found.length === 0 ? words.none : found.length === 1 ? words.one : words.many;
    status.textContent = message.replace("%(n)s", found.length).replace("%(q)s", query.trim());
    found.slice(0, MAX_RESULTS).forEach(function (number) {
      var entry = index.entries[number];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry[0];
      link.textContent = entry[1];
      var text = document.createElement("p");
      text.className = "summary";
      text.textContent = entry[2];
      item.appendChild(link);
      item.appendChild(text);
      list.appendChild(item);
    });
  }

  var timer = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(box.value); }, 200);
  });
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) { box.value = given; show(given); }
})();
