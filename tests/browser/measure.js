// Geometry of a reader page, in document coordinates, for the layout tests.
() => {
  const body = document.querySelector(".text-body");
  const visible = (el) => el.getClientRects().length > 0;
  const box = (r) => ({ top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right });
  // The top of the line a marker sits on: the last line box of what precedes it.
  const lineTop = (sup) => {
    let prev = sup.previousSibling;
    while (prev && prev.nodeType === Node.TEXT_NODE && !prev.textContent.trim()) prev = prev.previousSibling;
    let rects = [];
    if (prev && prev.nodeType === Node.ELEMENT_NODE) rects = prev.getClientRects();
    else if (prev) { const range = document.createRange(); range.selectNodeContents(prev); rects = range.getClientRects(); }
    return (rects.length ? rects[rects.length - 1] : sup.getBoundingClientRect()).top + scrollY;
  };
  const notes = [...body.querySelectorAll(".notes .note")].filter(visible).map((note, order) => {
    const id = note.dataset.note;
    const ref = [...body.querySelectorAll(".note-ref [data-note]")].find((el) => el.dataset.note === id && visible(el));
    return {
      id, order, kind: note.dataset.kind,
      rect: box(note.getBoundingClientRect()),
      line: ref ? lineTop(ref.parentElement) : null,
      left: note.classList.contains("is-left"),
      siblings: [...note.parentElement.children].filter(visible).length,
    };
  });
  // Space reader.js opens before a block (a transparent top border) is not part of the block.
  const content = (el) => {
    const rect = box(el.getBoundingClientRect());
    if (el.classList.contains("room")) rect.top += parseFloat(getComputedStyle(el).borderTopWidth);
    return rect;
  };
  const blocks = [...body.children].filter((el) => !el.classList.contains("notes") && visible(el))
    .map((el) => ({ tag: el.tagName.toLowerCase(), rect: content(el) }));
  const column = box(document.querySelector(".reader").getBoundingClientRect());
  return {
    notes, blocks, column,
    viewport: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    rem: parseFloat(getComputedStyle(document.documentElement).fontSize),
    height: innerHeight,
    layout: getComputedStyle(document.documentElement).getPropertyValue("--layout").trim(),
  };
}
