// Glossator preview only (injected by `glossator serve`, never part of a built site).
// Loads LiveReload's client with a plugin that reloads a page only when a file it shows changed,
// keeps the scroll position across the reload, lets LiveReload swap changed stylesheets in place,
// and shows the build's problems over the page until a build without errors removes them.
// Both scripts load asynchronously, so the page is shown without waiting for them.
"use strict";

(function () {
  var STATUS = "/__glossator__/status.json";
  var STYLESHEET = "/__glossator__/preview.css";
  var PLACE = "glossator-preview-place";
  var overlay = null;
  var dismissed = -1;

  function pathOf(url) {
    var path = new URL(url, window.location.origin + "/").pathname;
    return path.endsWith("/") ? path + "index.html" : path;
  }

  function shows(path) {
    if (path === pathOf(window.location.href)) return true;
    var scripts = document.querySelectorAll("script[src]");
    for (var i = 0; i < scripts.length; i++) {
      if (pathOf(scripts[i].src) === path) return true;
    }
    return false;
  }

  function styledBy(path) {
    var links = document.querySelectorAll("link[rel~='stylesheet'][href]");
    for (var i = 0; i < links.length; i++) {
      if (pathOf(links[i].href) === path) return true;
    }
    return false;
  }

  function reloadKeepingPlace() {
    try {
      sessionStorage.setItem(PLACE, JSON.stringify({ page: window.location.pathname, x: window.scrollX, y: window.scrollY }));
    } catch (error) {
      // Storage may be off: the reload then starts at the top.
    }
    window.location.reload();
  }

  function restorePlace() {
    var place;
    try {
      place = JSON.parse(sessionStorage.getItem(PLACE) || "null");
      sessionStorage.removeItem(PLACE);
    } catch (error) {
      return;
    }
    if (!place || place.page !== window.location.pathname) return;
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    var put = function () { window.scrollTo(place.x, place.y); };
    put();
    document.addEventListener("DOMContentLoaded", put);
    window.addEventListener("load", put);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function problemItem(problem) {
    var item = element("li");
    item.appendChild(element("span", "glossator-where", problem.path + ":" + problem.line + ":" + problem.col + ": "));
    item.appendChild(element("span", "glossator-severity glossator-severity--" + problem.severity, problem.severity + ": "));
    item.appendChild(element("span", "glossator-message", problem.message));
    if (problem.source !== undefined) {
      item.appendChild(element("span", "glossator-detail glossator-source", problem.line + " | " + problem.source));
    }
    (problem.related || []).forEach(function (note) {
      item.appendChild(element("span", "glossator-detail", note.path + ":" + note.line + ":" + note.col + ": note: " + note.message));
    });
    if (problem.hint) item.appendChild(element("span", "glossator-detail", "hint: " + problem.hint));
    return item;
  }

  function show(status) {
    var errors = status.problems.filter(function (p) { return p.severity === "error"; });
    if (overlay) overlay.remove();
    overlay = null;
    if (!errors.length || status.generation === dismissed) return;
    overlay = element("section", "glossator-overlay");
    overlay.setAttribute("role", "alert");
    overlay.id = "glossator-overlay";
    overlay.appendChild(element("h2", null, status.failed ? "Build failed: showing the last good site" : "Build has errors"));
    overlay.appendChild(element("p", null, "Fix these and save: this message goes away by itself."));
    var list = element("ol");
    errors.forEach(function (problem) { list.appendChild(problemItem(problem)); });
    overlay.appendChild(list);
    var close = element("button", null, "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Hide until the next build");
    close.addEventListener("click", function () { dismissed = status.generation; show(status); });
    overlay.appendChild(close);
    document.body.appendChild(overlay);
  }

  function refresh() {
    fetch(STATUS, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (document.body) show(status);
        else document.addEventListener("DOMContentLoaded", function () { show(status); });
      })
      .catch(function () { /* the server stopped: nothing to show */ });
  }

  function GlossatorPreview(win, host) {
    this.window = win;
    this.host = host;
    refresh();
  }
  GlossatorPreview.identifier = "glossator-preview";
  GlossatorPreview.version = "1.0";
  GlossatorPreview.prototype.reload = function (path) {
    if (path.indexOf(STATUS) === 0) {
      refresh();
      return true;
    }
    if (path === "*") {
      reloadKeepingPlace();
      return true;
    }
    var changed = pathOf(path);
    if (/\.css$/i.test(changed)) return !styledBy(changed);  // false: LiveReload swaps it in place
    if (shows(changed)) reloadKeepingPlace();
    return true;
  };
  GlossatorPreview.prototype.analyze = function () { return {}; };

  window.LiveReloadPluginGlossatorPreview = GlossatorPreview;
  restorePlace();
  var sheet = element("link");
  sheet.rel = "stylesheet";
  sheet.href = STYLESHEET;
  document.head.appendChild(sheet);
  // LiveReload's client, loaded after the plugin it picks up; it finds the server from its own URL.
  var client = element("script");
  client.src = "/livereload.js";
  client.async = true;
  document.head.appendChild(client);
})();
