/* Coding a text: turn the browser's selection into code-point positions for the apply form, select sentence by
   sentence from the keyboard, and apply a code with its number key.

   The server counts positions in Unicode code points (as REFI-QDA does); JavaScript strings count UTF-16 units,
   so an emoji is 2 here and 1 there. Every span of the text carries its start in code points (data-start), and
   offsets within a span are converted by counting code points. */
(function () {
  "use strict";
  var text = document.getElementById("text");
  var form = document.getElementById("apply-form");
  if (!text || !form) { return; }
  var startInput = document.getElementById("start-input");
  var endInput = document.getElementById("end-input");
  var preview = document.getElementById("selection-preview");
  var full = text.textContent;

  function codePoints(string) { return Array.from(string).length; }

  // The UTF-16 offset in the whole text of (node, offset) inside the text element.
  function unitOffset(node, offset) {
    var walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    var total = 0;
    while (walker.nextNode()) {
      if (walker.currentNode === node) { return total + offset; }
      total += walker.currentNode.nodeValue.length;
    }
    if (node === text) {  // a boundary between the spans
      var before = 0;
      for (var i = 0; i < offset; i++) { before += text.childNodes[i].textContent.length; }
      return before;
    }
    return null;
  }

  function unitsToCodePoints(units) { return codePoints(full.slice(0, units)); }

  function codePointsToUnits(points) {
    var units = 0;
    var chars = Array.from(full);
    for (var i = 0; i < points && i < chars.length; i++) { units += chars[i].length; }
    return units;
  }

  // (node, offset) for a UTF-16 offset in the whole text, for building a selection.
  function boundary(units) {
    var walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    var total = 0;
    while (walker.nextNode()) {
      var length = walker.currentNode.nodeValue.length;
      if (units <= total + length) { return [walker.currentNode, units - total]; }
      total += length;
    }
    return [text, text.childNodes.length];
  }

  function show(startUnits, endUnits) {
    var range = document.createRange();
    var from = boundary(startUnits), to = boundary(endUnits);
    range.setStart(from[0], from[1]);
    range.setEnd(to[0], to[1]);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var element = from[0].parentElement || text;
    if (element.scrollIntoView) { element.scrollIntoView({block: "nearest"}); }
  }

  // Where the current selection is, in UTF-16 units, or null when it is not inside the text.
  function selected() {
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) { return null; }
    var range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return null; }
    var start = unitOffset(range.startContainer, range.startOffset);
    var end = unitOffset(range.endContainer, range.endOffset);
    return start === null || end === null || start >= end ? null : [start, end];
  }

  function update() {
    var units = selected();
    if (!units) { return; }
    startInput.value = unitsToCodePoints(units[0]);
    endInput.value = unitsToCodePoints(units[1]);
    var passage = full.slice(units[0], units[1]).trim();
    preview.textContent = "»" + (passage.length > 160 ? passage.slice(0, 157) + "…" : passage) + "«";
  }
  document.addEventListener("selectionchange", update);

  // Sentences as the keyboard moves through them: up to . ! ? or a line break, white space left out. A sentence
  // that opens a speaker's turn starts after the "I07: " label, where the turn's own text starts.
  var sentences = [];
  (function () {
    var turnStarts = (text.getAttribute("data-turn-starts") || "").split(",").filter(Boolean)
      .map(function (start) { return codePointsToUnits(parseInt(start, 10)); });
    var pattern = /[^.!?\n]+[.!?]*["»”)]*|\n/g, match;
    while ((match = pattern.exec(full)) !== null) {
      var chunk = match[0];
      var lead = chunk.length - chunk.replace(/^\s+/, "").length;
      var trimmed = chunk.trim();
      if (!trimmed) { continue; }
      var start = match.index + lead, end = start + trimmed.length;
      turnStarts.forEach(function (turnStart) { if (start < turnStart && turnStart < end) { start = turnStart; } });
      sentences.push([start, end]);
    }
  })();
  var anchor = -1, focus = -1;

  function selectSentences() {
    var first = Math.min(anchor, focus), last = Math.max(anchor, focus);
    show(sentences[first][0], sentences[last][1]);
    update();
  }

  function sentenceAt(units) {
    for (var i = 0; i < sentences.length; i++) { if (sentences[i][1] > units) { return i; } }
    return sentences.length - 1;
  }

  function step(direction, extend) {
    if (!sentences.length) { return; }
    var current = selected();
    if (focus < 0 || !current) {
      anchor = focus = current ? sentenceAt(current[0]) : (direction > 0 ? 0 : sentences.length - 1);
    } else {
      focus = Math.max(0, Math.min(sentences.length - 1, focus + direction));
      if (!extend) { anchor = focus; }
    }
    selectSentences();
  }

  function apply(key) {
    var box = form.querySelector('input[name="code"][data-key="' + key + '"]');
    if (!box || !startInput.value || !endInput.value) { return false; }
    form.querySelectorAll('input[name="code"]').forEach(function (other) { other.checked = other === box; });
    form.submit();
    return true;
  }

  text.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === "ArrowDown" || event.key === "j") { step(1, event.shiftKey); event.preventDefault(); }
    else if (event.key === "ArrowUp" || event.key === "k") { step(-1, event.shiftKey); event.preventDefault(); }
    else if (/^[1-9]$/.test(event.key)) { if (apply(event.key)) { event.preventDefault(); } }
    else if (event.key === "u" || event.key === "U") {
      var undo = document.getElementById("undo-form");
      if (undo) { undo.submit(); event.preventDefault(); }
    } else if (event.key === "Escape") { window.getSelection().removeAllRanges(); anchor = focus = -1; }
  });

  // After coding, the page comes back with ?at=<position>: select that passage's sentence again and give the
  // text the focus, so the next key press carries on where the coder was.
  var at = new URLSearchParams(window.location.search).get("at");
  if (at !== null && /^\d+$/.test(at)) {
    var units = codePointsToUnits(parseInt(at, 10));
    anchor = focus = sentenceAt(units);
    text.focus({preventScroll: true});
    if (sentences.length) { selectSentences(); }
  }
  document.querySelectorAll("[data-select]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var parts = link.getAttribute("data-select").split("-");
      show(codePointsToUnits(parseInt(parts[0], 10)), codePointsToUnits(parseInt(parts[1], 10)));
      update();
      text.focus({preventScroll: true});
      event.preventDefault();
    });
  });
})();
