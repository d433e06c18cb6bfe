// Progressive enhancement of the reader; the page works without it.
// Wide screens: each note is placed beside its marker's line; crowded notes move the least
// (least squares, up as well as down) and the text opens up where they would drift too far.
// Narrow screens: markers become disclosure buttons. Everywhere: passage <-> note linking,
// permalinks, long-note capping and per-kind filters remembered in localStorage.
(() => {
  "use strict";
  const root = document.documentElement;
  root.classList.add("js");
  const STORE = "glossator:hidden-kinds";
  const lit = { pointer: null, focus: null };
  let body, reader, byId = new Map(), target = null, lastOpened = null, pending = 0, pin = null;

  function init() {
    body = document.querySelector(".text-body");
    reader = document.querySelector(".reader");
    if (!body || !reader) return done();
    for (const note of document.querySelectorAll(".note[data-note]")) entry(note.dataset.note).note = note;
    for (const mark of body.querySelectorAll("mark.hl[data-note]")) entry(mark.dataset.note).marks.push(mark);
    for (const link of body.querySelectorAll(".note-ref a[data-note]")) addToggle(link);
    for (const note of body.querySelectorAll(".notes .note")) addExpander(note);
    setUpFilters();
    document.addEventListener("mouseover", (e) => light("pointer", idOf(e.target)));
    document.addEventListener("focusin", onFocusIn);
    document.addEventListener("focusout", (e) => e.relatedTarget || light("focus", null));
    document.addEventListener("click", onClick);
    document.addEventListener("keydown", onKey);
    window.addEventListener("hashchange", () => followHash(false));
    new ResizeObserver(schedule).observe(body);
    window.addEventListener("resize", schedule);
    if (document.fonts) {
      document.fonts.ready.then(schedule);
      document.fonts.addEventListener("loadingdone", schedule);
    }
    window.addEventListener("load", schedule);
    layout();
    followHash(true);
  }

  function entry(id) {
    if (!byId.has(id)) byId.set(id, { note: null, marks: [], refs: [], toggles: [] });
    return byId.get(id);
  }

  const layoutMode = () => getComputedStyle(root).getPropertyValue("--layout").trim();
  const isWide = () => layoutMode().startsWith("wide");
  const visible = (el) => el.getClientRects().length > 0;

  function idOf(el) {
    const hit = el instanceof Element && el.closest("mark.hl[data-note], .note-ref, .note[data-note]");
    if (!hit) return null;
    return hit.dataset.note || hit.querySelector("[data-note]")?.dataset.note || null;
  }

  function addToggle(link) {
    const id = link.dataset.note, button = document.createElement("button");
    button.type = "button";
    button.className = "note-toggle";
    button.dataset.note = id;
    button.textContent = link.textContent;
    button.setAttribute("aria-label", link.getAttribute("aria-label") || link.textContent);
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "note-" + id);
    link.after(button);
    entry(id).refs.push(link);
    entry(id).toggles.push(button);
  }

  function addExpander(note) {
    const content = note.querySelector(".note-content");
    if (!content) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "note-more";
    button.hidden = true;
    button.textContent = "Show more";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", content.id);
    content.after(button);
  }

  // Linking: hovering or focusing a passage, marker or note lights up all three. The mouse and
  // the keyboard each light one note, so a resting pointer never hides where the focus is.
  function light(source, id) {
    const old = lit[source];
    if (old === id) return;
    lit[source] = id;
    for (const changed of [old, id]) {
      const on = changed !== null && (lit.pointer === changed || lit.focus === changed);
      for (const el of parts(changed)) el.classList.toggle("is-active", on);
    }
  }

  function parts(id) {
    const e = id && byId.get(id);
    if (!e) return [];
    return [e.note, ...e.marks, ...e.refs.map((r) => r.parentElement)].filter(Boolean);
  }

  function setTarget(id) {
    for (const el of parts(target)) el.classList.remove("is-target");
    target = id;
    for (const el of parts(target)) el.classList.add("is-target");
  }

  function onFocusIn(e) {
    light("focus", idOf(e.target));
    const note = e.target.closest?.(".note.is-capped:not(.is-expanded)");
    if (note && e.target.closest(".note-content")) {
      expand(note, true);
      e.target.scrollIntoView({ block: "nearest" });
    }
  }

  function onClick(e) {
    const el = e.target instanceof Element ? e.target : null;
    if (!el) return;
    const link = el.closest(".note-ref a[data-note]");
    if (link && isWide()) {
      e.preventDefault();
      history.pushState(null, "", "#note-" + link.dataset.note);
      show(link.dataset.note, true);
    } else if (el.closest(".note-toggle")) {
      const id = el.closest(".note-toggle").dataset.note;
      isOpen(id) ? close(id) : open(id, el.closest(".note-toggle"));
    } else if (el.closest(".note-more")) {
      const note = el.closest(".note");
      expand(note, !note.classList.contains("is-expanded"));
    } else if (el.closest(".note-back")) {
      e.preventDefault();
      back(el.closest(".note").dataset.note);
    } else if (el.closest(".legend-toggle")) {
      toggleKind(el.closest(".legend-toggle"));
    }
  }

  function onKey(e) {
    if (e.key !== "Escape") return;
    const focused = document.activeElement;
    const id = idOf(focused) || (!isWide() && lastOpened);
    if (!id) return;
    if (!isWide() && isOpen(id)) close(id);
    else if (focused?.closest?.(".note")) back(id);
    else return;
    e.preventDefault();
  }

  // Activating a marker or a permalink: focus the note and light up note and passage.
  function show(id, focus) {
    const e = byId.get(id);
    if (!e?.note) return;
    if (!isWide() && e.note.closest(".notes")) open(id, null);
    setTarget(id);
    if (focus) e.note.focus({ preventScroll: true });
    e.note.scrollIntoView({ block: "nearest" });
  }

  // A permalink (#note-ID) focuses its note; on arrival the passage is brought into view with it.
  function followHash(arriving) {
    const id = decodeURIComponent(location.hash.slice(1));
    if (id.startsWith("note-") && byId.get(id.slice(5))?.note) {
      const e = byId.get(id.slice(5));
      show(id.slice(5), true);
      if (arriving) scrollToPair(e);
    } else if (id.startsWith("ref-")) {
      setTarget(idOf(document.getElementById(id)));
    }
  }

  function scrollToPair(e) {
    const ref = e.refs.find(visible) || e.toggles.find(visible);
    const top = Math.min(e.note.getBoundingClientRect().top, ref ? ref.getBoundingClientRect().top : Infinity);
    window.scrollTo({ top: window.scrollY + top - window.innerHeight * 0.2, behavior: "instant" });
  }

  // The way back: focus the marker the reader came from.
  function back(id) {
    const e = byId.get(id);
    if (!e) return;
    if (!isWide() && isOpen(id)) close(id);
    const control = [...e.refs, ...e.toggles].find(visible);
    if (!control) return;
    setTarget(id);
    control.focus({ preventScroll: true });
    control.scrollIntoView({ block: "nearest" });
  }

  // Narrow screens: disclosure.
  const isOpen = (id) => byId.get(id)?.note?.classList.contains("is-open");

  function open(id, toggle) {
    const e = byId.get(id);
    e.note.classList.add("is-open");
    for (const t of e.toggles) t.setAttribute("aria-expanded", "true");
    lastOpened = id;
    setTarget(id);
    if (toggle) {
      e.note.focus({ preventScroll: true });
      e.note.scrollIntoView({ block: "nearest" });
    }
  }

  function close(id) {
    const e = byId.get(id);
    const hadFocus = e.note.contains(document.activeElement);
    e.note.classList.remove("is-open");
    for (const t of e.toggles) t.setAttribute("aria-expanded", "false");
    if (lastOpened === id) lastOpened = null;
    if (target === id) setTarget(null);
    const toggle = e.toggles.find(visible);
    if (toggle && (hadFocus || document.activeElement === document.body)) toggle.focus();
  }

  // Long notes on wide screens are capped; the reader can expand them.
  function expand(note, on) {
    note.classList.toggle("is-expanded", on);
    note.querySelector(".note-content").scrollTop = 0; // focus may have scrolled the clipped text
    const button = note.querySelector(".note-more");
    button.setAttribute("aria-expanded", String(on));
    button.textContent = on ? "Show less" : "Show more";
    if (!on && note.querySelector(".note-content").contains(document.activeElement)) button.focus();
    pin = { note, width: window.innerWidth };
    layout();
  }

  // Kinds: show or hide each, remembered across visits.
  function setUpFilters() {
    const hidden = new Set(load());
    for (const item of document.querySelectorAll(".legend-item[data-kind]")) {
      const key = item.querySelector(".legend-key");
      if (!key) continue;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "legend-toggle";
      button.dataset.kind = item.dataset.kind;
      button.setAttribute("aria-pressed", String(!hidden.has(item.dataset.kind)));
      const verb = document.createElement("span");
      verb.className = "visually-hidden";
      verb.textContent = "Show ";
      button.append(verb, ...key.childNodes);
      key.replaceWith(button);
    }
    for (const hint of document.querySelectorAll(".legend-hint")) hint.hidden = false;
    applyKinds(hidden);
  }

  function toggleKind(button) {
    button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
    const hidden = [...document.querySelectorAll(".legend-toggle[aria-pressed=false]")].map((b) => b.dataset.kind);
    try {
      localStorage.setItem(STORE, JSON.stringify(hidden));
    } catch {
      // Storage can be unavailable (private modes, file://); the choice then lasts for this page.
    }
    applyKinds(new Set(hidden));
    layout();
  }

  function load() {
    try {
      const value = JSON.parse(localStorage.getItem(STORE) || "[]");
      return Array.isArray(value) ? value.filter((k) => typeof k === "string") : [];
    } catch {
      return [];
    }
  }

  function applyKinds(hidden) {
    for (const b of document.querySelectorAll(".legend-toggle")) {
      reader.classList.toggle("hide-" + b.dataset.kind, hidden.has(b.dataset.kind));
    }
  }

  // Layout on wide screens.
  function schedule() {
    if (!pending) pending = requestAnimationFrame(() => { pending = 0; layout(); });
  }

  function layout() {
    const notes = [...body.querySelectorAll(".notes .note")];
    for (const el of body.querySelectorAll(".room")) { el.classList.remove("room"); el.style.removeProperty("--room"); }
    const mode = layoutMode();
    if (!mode.startsWith("wide")) {
      body.classList.remove("is-placed");
      for (const n of notes) n.classList.remove("is-capped");
      for (const b of body.querySelectorAll(".note-more")) b.hidden = true;
      return done();
    }
    // The note the reader just expanded or collapsed stays put until the window's width changes.
    const keep = pin && pin.width === window.innerWidth && visible(pin.note) && body.classList.contains("is-placed");
    const pinned = keep ? pin.note : null;
    const previous = pinned ? { top: parseFloat(pinned.style.top) || 0, left: pinned.classList.contains("is-left") } : null;
    body.classList.add("is-placed");
    const shown = notes.filter(visible);
    for (const n of shown) cap(n);
    const origin = body.getBoundingClientRect().top + body.clientTop;
    const rem = parseFloat(getComputedStyle(root).fontSize);
    const drift = Math.min(16 * rem, Math.max(8 * rem, 0.3 * window.innerHeight));
    const opts = { gap: 0.9 * rem, prefer: 5 * rem, drift, rise: drift / 2, sides: mode === "wide2" ? 2 : 1 };
    const column = reader.getBoundingClientRect();
    const items = shown.map((note) => item(note, origin, note === pinned ? previous : null)).filter(Boolean);
    const walls = [...body.children]
      .filter((el) => !el.classList.contains("notes") && visible(el))
      .map((el) => ({ el, rect: el.getBoundingClientRect() }))
      .filter(({ rect }) => rect.left < column.left - 1 || rect.right > column.right + 1)
      .map(({ el, rect }) => ({ el, top: rect.top - origin, bottom: rect.bottom - origin }));
    const rooms = makeRoom(items, walls, opts);
    for (const [el, px] of rooms) { el.classList.add("room"); el.style.setProperty("--room", px + "px"); }
    let end = 0;
    for (let side = 0; side < opts.sides; side++) {
      for (const [i, group] of groups(items.filter((it) => it.side === side), walls).entries()) {
        const lo = i === 0 ? 0 : walls[i - 1].bottom + opts.gap;
        const hi = i < walls.length ? walls[i].top - opts.gap : Infinity;
        const tops = settle(group, lo, hi, opts.gap, opts.rise);
        group.forEach((it, k) => {
          it.note.style.top = tops[k] + "px";
          it.note.classList.toggle("is-left", side === 1);
          end = Math.max(end, tops[k] + it.h);
        });
      }
    }
    body.style.setProperty("--notes-end", Math.ceil(end) + "px");
    done();
  }

  function done() {
    root.dataset.notesLayout = String(Number(root.dataset.notesLayout || 0) + 1);
  }

  function cap(note) {
    const button = note.querySelector(".note-more"), content = note.querySelector(".note-content");
    if (!button || note.classList.contains("is-expanded")) { if (button) button.hidden = false; return; }
    note.classList.add("is-capped");
    const hidden = content.scrollHeight - content.clientHeight;
    const keep = hidden > 2 * parseFloat(getComputedStyle(content).lineHeight || "20");
    note.classList.toggle("is-capped", keep);
    button.hidden = !keep;
  }

  // A note's wish: the top of its marker's line (a pinned note: where it is). The item also
  // records the block that space would be opened before, and its top-level block.
  function item(note, origin, pinned) {
    const e = byId.get(note.dataset.note);
    const ref = e && e.refs.find(visible);
    if (!ref) return null;
    const sup = ref.parentElement;
    const unit = sup.closest("p, li, h1, h2, h3, h4, h5, h6, dt, dd, td, th, table") || sup.parentElement;
    const top = [...body.children].find((el) => el.contains(unit));
    let block = unit.closest("table") || unit;
    // Space opened before a block's first child goes before the block itself (a quote's rule, a list).
    while (block !== top && block.parentElement.firstElementChild === block) block = block.parentElement;
    return {
      note, unit: block, top,
      y: lineTop(sup) - origin,
      target: pinned ? pinned.top : null,
      h: note.offsetHeight,
      w: pinned ? 1000 : 1,
      side: pinned && pinned.left ? 1 : 0,
      pinned: Boolean(pinned),
    };
  }

  function lineTop(sup) {
    let prev = sup.previousSibling;
    while (prev && prev.nodeType === Node.TEXT_NODE && !prev.textContent.trim()) prev = prev.previousSibling;
    let rects = [];
    if (prev && prev.nodeType === Node.ELEMENT_NODE) rects = prev.getClientRects();
    else if (prev) { const r = document.createRange(); r.selectNodeContents(prev); rects = r.getClientRects(); }
    const last = rects.length ? rects[rects.length - 1] : sup.getBoundingClientRect();
    return last.top;
  }

  // Notes between two full-width elements form a group; a note anchored inside one goes after it.
  function groups(items, walls) {
    const out = walls.map(() => []).concat([[]]);
    const order = [...body.children];
    for (const it of items) {
      const at = order.indexOf(it.top);
      out[walls.filter((w) => order.indexOf(w.el) <= at).length].push(it);
    }
    return out;
  }

  // Greedy, top to bottom: choose each note's margin (the right one unless it is crowded and the
  // left is less so), and open up the text where a note would drift more than `drift` below its
  // line or run into a full-width element. Returns the extra space to give each block.
  function makeRoom(items, walls, { gap, prefer, drift, sides }) {
    const rooms = new Map(), order = [...body.children], cursor = Array(sides).fill(-Infinity);
    let w = 0, lastUnit = null;
    const add = (el, space, from) => {
      const px = Math.ceil(space); // borders are whole pixels
      rooms.set(el, (rooms.get(el) || 0) + px);
      for (const later of items.slice(from)) later.y += px;
      for (const wall of walls.slice(w)) { wall.top += px; wall.bottom += px; }
    };
    const passWall = (from) => {
      const wall = walls[w], over = Math.max(...cursor) - (wall.top - gap);
      if (over > 0) add(wall.el, over, from);
      cursor.fill(wall.bottom + gap);
      w++;
    };
    items.forEach((it, i) => {
      const at = order.indexOf(it.top);
      while (w < walls.length && order.indexOf(walls[w].el) <= at) passWall(i);
      const late = cursor.map((c) => Math.max(0, c - it.y));
      if (!it.pinned) it.side = sides === 2 && late[0] > prefer && late[1] < late[0] ? 1 : 0;
      if (it.unit !== lastUnit && late[it.side] > drift) add(it.unit, late[it.side] - drift, i);
      lastUnit = it.unit;
      cursor[it.side] = Math.max(cursor[it.side], it.y) + it.h + gap;
    });
    while (w < walls.length) passWall(items.length);
    return rooms;
  }

  // Least-squares placement without overlaps: pool-adjacent-violators on the tops shifted by the
  // heights above, each note kept between `rise` above its line and the group's bounds lo..hi.
  // Every note moves as little as the others allow, up as well as down.
  function settle(group, lo, hi, gap, rise) {
    const offsets = [];
    let total = 0;
    for (const it of group) { offsets.push(total); total += it.h + gap; }
    const max = hi - (total - gap), pools = [];
    const best = (p) => Math.min(Math.max(p.sum / p.w, p.floor), max);
    group.forEach((it, i) => {
      const wish = (it.target ?? it.y) - offsets[i];
      const floor = Math.max(lo, Math.min(it.target ?? it.y, it.y) - rise) - offsets[i];
      let pool = { sum: wish * it.w, w: it.w, n: 1, floor };
      while (pools.length && best(pools[pools.length - 1]) >= best(pool)) {
        const a = pools.pop();
        pool = { sum: a.sum + pool.sum, w: a.w + pool.w, n: a.n + pool.n, floor: Math.max(a.floor, pool.floor) };
      }
      pools.push(pool);
    });
    const tops = [];
    for (const pool of pools) for (let k = 0; k < pool.n; k++) tops.push(best(pool) + offsets[tops.length]);
    return tops.map(Math.round);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
