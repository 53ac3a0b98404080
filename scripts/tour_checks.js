// Checks the tour runs inside each rendered page (scripts/tour.py). Returns plain data; the
// Python side decides what is a finding. Kept in one function so one evaluate() does it all.
() => {
  const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
  const root = document.documentElement;

  function describe(element) {
    let name = element.tagName.toLowerCase();
    if (element.id) name += "#" + element.id;
    else if (element.classList.length) name += "." + [...element.classList].slice(0, 2).join(".");
    return name;
  }

  // 1. The document is wider than the viewport: name the widest elements that stick out.
  const overflow = { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, culprits: [] };
  if (root.scrollWidth > root.clientWidth + 1) {
    const sticking = [];
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width && box.right > root.clientWidth + 1) {
        // Only the outermost offender: its parent must fit.
        const parent = element.parentElement.getBoundingClientRect();
        if (parent.right <= root.clientWidth + 1) sticking.push([box.right, describe(element)]);
      }
    }
    sticking.sort((a, b) => b[0] - a[0]);
    overflow.culprits = sticking.slice(0, 3).map(([right, name]) => `${name} (right edge ${Math.round(right)}px)`);
  }

  // 2. Chinese text in table cells broken into one- or two-character lines: group each text
  //    node's characters by the line box they were laid out on.
  const squeezed = [];
  const cells = [...document.querySelectorAll("td, th")].slice(0, 2000);
  for (const cell of cells) {
    if (!HAN.test(cell.textContent)) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.data;
      if (!HAN.test(text) || text.trim().length < 3) continue;
      const lines = [];
      const limit = Math.min(text.length, 60);
      for (let index = 0; index < limit; index++) {
        if (!text[index].trim()) continue;
        const range = document.createRange();
        range.setStart(node, index);
        range.setEnd(node, index + 1);
        const box = range.getBoundingClientRect();
        if (!box.height) continue;
        const middle = box.top + box.height / 2;
        const line = lines.find((candidate) => Math.abs(candidate.middle - middle) < box.height / 2);
        if (line) line.count++;
        else lines.push({ middle, count: 1 });
      }
      if (lines.length < 2) continue;
      const widest = Math.max(...lines.map((line) => line.count));
      if (widest <= 2 || (lines.length >= 3 && widest <= 3)) {
        squeezed.push({
          text: text.trim().slice(0, 40),
          lines: lines.length,
          widest,
          cellWidth: Math.round(cell.getBoundingClientRect().width),
        });
        break;
      }
    }
  }

  // 3. Date inputs whose value attribute the browser refused (shows mm/dd/yyyy instead).
  const rejectedDates = [];
  for (const input of document.querySelectorAll("input[type=date], input[type=datetime-local]")) {
    const given = input.getAttribute("value");
    if (given && !input.value) rejectedDates.push({ name: input.name || input.id, type: input.type, value: given });
  }

  // 4. Images that did not load.
  const brokenImages = [...document.images]
    .filter((image) => image.complete && image.naturalWidth === 0)
    .map((image) => image.currentSrc || image.src || describe(image));

  // 5. Han text anywhere a reader meets it (text, title, labels, placeholders). Elements marked
  //    lang="zh…" or translate="no" hold data on purpose and are left out.
  const hanTexts = [];
  const isMarkedData = (element) => element && element.closest('[lang^="zh"]:not(html), [translate="no"]');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!HAN.test(node.data) || !parent || parent.closest("script, style, template, noscript")) continue;
    if (isMarkedData(parent)) continue;
    hanTexts.push(node.data.replace(/\s+/g, " ").trim());
  }
  for (const element of document.querySelectorAll("[title], [aria-label], [placeholder], [alt], input[type=submit], input[type=button]")) {
    if (isMarkedData(element)) continue;
    for (const attribute of ["title", "aria-label", "placeholder", "alt", "value"]) {
      if (attribute === "value" && !["submit", "button"].includes(element.type)) continue;
      const value = element.getAttribute(attribute);
      if (value && HAN.test(value)) hanTexts.push(value.trim());
    }
  }
  if (HAN.test(document.title)) hanTexts.push(document.title);

  const icon = document.querySelector('link[rel~="icon"]');
  return {
    overflow,
    squeezed,
    rejectedDates,
    brokenImages,
    hanTexts,
    favicon: icon ? icon.href : null,
    lang: root.lang,
  };
}
