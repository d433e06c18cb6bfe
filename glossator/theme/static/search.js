/* Glossator search: finds words in the texts and notes of search/data.js, in the browser.
   No server and no network: the data is a script the search page loads. Without JavaScript the
   page lists every text and note instead. Results are built with DOM nodes and textContent only. */
(function () {
  "use strict";

  var RESULT_LIMIT = 50;
  var SNIPPET_BEFORE = 60;
  var SNIPPET_LENGTH = 200;
  var WORD = /[\p{L}\p{N}]/u;

  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-query");
  var results = document.getElementById("search-results");
  var browse = document.getElementById("search-browse");
  if (!form || !input || !results) return;
  var status = results.querySelector(".search-status");
  var list = results.querySelector(".search-result-list");
  var root = document.querySelector("script[src$='search/data.js']");
  var base = root ? root.getAttribute("src").replace(/search\/data\.js$/, "") : "../";
  document.querySelectorAll("[data-search-nojs]").forEach(function (el) { el.hidden = true; });

  var data = window.glossatorSearchData;
  var entries = data && Array.isArray(data.entries) ? data.entries : null;
  var folded = new Map();

  /* Lower case without accents, with a map from each folded character back to the original. */
  function fold(text) {
    var out = "";
    var map = [];
    var index = 0;
    for (var ch of text) {
      var f = ch < "\x80" ? ch.toLowerCase() : ch.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
      for (var k = 0; k < f.length; k++) map.push(index);
      out += f;
      index += ch.length;
    }
    map.push(index);
    return { text: out, map: map };
  }

  function foldedEntry(entry) {
    var cached = folded.get(entry);
    if (!cached) {
      cached = { title: fold(entry.title), text: fold(entry.text) };
      folded.set(entry, cached);
    }
    return cached;
  }

  function termsOf(query) {
    var seen = new Set();
    return fold(query).text.split(/[^\p{L}\p{N}]+/u).filter(function (term) {
      if (!term || seen.has(term)) return false;
      seen.add(term);
      return true;
    }).slice(0, 10);
  }

  /* Start offsets (in folded text) where a term begins a word. */
  function matches(text, term, limit) {
    var found = [];
    var at = text.indexOf(term);
    while (at !== -1 && found.length < limit) {
      if (at === 0 || !WORD.test(text[at - 1])) found.push(at);
      at = text.indexOf(term, at + 1);
    }
    return found;
  }

  function search(query) {
    var terms = termsOf(query);
    if (!terms.length) return { terms: terms, hits: [] };
    var hits = [];
    entries.forEach(function (entry, order) {
      var f = foldedEntry(entry);
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var inTitle = matches(f.title.text, terms[i], 5).length;
        var inText = matches(f.text.text, terms[i], 20).length;
        if (!inTitle && !inText) return;
        score += inTitle * 5 + inText;
      }
      hits.push({ entry: entry, score: score, order: order });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return { terms: terms, hits: hits };
  }

  /* Append text to a node, wrapping every word-start match of a term in <mark>. */
  function appendMarked(node, text, terms) {
    var f = fold(text);
    var ranges = [];
    terms.forEach(function (term) {
      matches(f.text, term, 50).forEach(function (at) { ranges.push([f.map[at], f.map[at + term.length]]); });
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var position = 0;
    ranges.forEach(function (range) {
      if (range[0] < position) return;
      node.appendChild(document.createTextNode(text.slice(position, range[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(range[0], range[1]);
      node.appendChild(mark);
      position = range[1];
    });
    node.appendChild(document.createTextNode(text.slice(position)));
  }

  function snippet(entry, terms) {
    var f = foldedEntry(entry).text;
    var first = -1;
    terms.forEach(function (term) {
      var found = matches(f.text, term, 1);
      if (found.length && (first === -1 || found[0] < first)) first = found[0];
    });
    var at = first === -1 ? 0 : f.map[first];
    var start = Math.max(0, at - SNIPPET_BEFORE);
    if (start > 0) start = entry.text.indexOf(" ", start) + 1 || start;
    var end = Math.min(entry.text.length, start + SNIPPET_LENGTH);
    if (end < entry.text.length) end = entry.text.lastIndexOf(" ", end) > at ? entry.text.lastIndexOf(" ", end) : end;
    var text = entry.text.slice(start, end).replace(/\s+/g, " ");
    return (start > 0 ? "… " : "") + text + (end < entry.text.length ? " …" : "");
  }

  function show(query) {
    list.textContent = "";
    var trimmed = query.trim();
    results.hidden = !trimmed;
    if (browse) browse.hidden = !!trimmed && !!entries;
    if (!trimmed) return;
    if (!entries) {
      results.hidden = false;
      status.textContent = "The search data could not be loaded; every text and note is listed below.";
      if (browse) browse.hidden = false;
      return;
    }
    var found = search(trimmed);
    var shown = found.hits.slice(0, RESULT_LIMIT);
    status.textContent = found.hits.length === 0 ? "No results for “" + trimmed + "”"
      : (found.hits.length === 1 ? "1 result" : found.hits.length + " results") + " for “" + trimmed + "”"
        + (found.hits.length > shown.length ? " (showing the first " + shown.length + ")" : "");
    shown.forEach(function (hit) {
      var entry = hit.entry;
      var item = document.createElement("li");
      item.className = "search-result";
      item.dataset.kind = entry.kind;
      var link = document.createElement("a");
      link.className = "search-result-link";
      link.href = base + entry.url;
      var kind = document.createElement("span");
      kind.className = "kind-badge kind-badge--" + entry.kind + " search-kind";
      kind.textContent = entry.label;
      var title = document.createElement("span");
      title.className = "search-result-title";
      appendMarked(title, entry.title, found.terms);
      link.appendChild(title);
      item.append(kind, " ", link);
      if (entry.context) {
        var context = document.createElement("span");
        context.className = "search-result-context";
        context.textContent = " " + entry.context;
        item.appendChild(context);
      }
      var text = document.createElement("p");
      text.className = "search-snippet";
      appendMarked(text, snippet(entry, found.terms), found.terms);
      item.appendChild(text);
      list.appendChild(item);
    });
  }

  function update(query) {
    var url = new URL(window.location.href);
    if (query.trim()) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    show(query);
  }

  var timer = 0;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { update(input.value); }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    update(input.value);
  });

  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  show(initial);
})();
