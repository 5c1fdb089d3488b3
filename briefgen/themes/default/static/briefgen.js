/* briefgen: what the pages do with JavaScript, all of it optional. Without this file,
   term and link cards open on hover and focus (CSS), and sidenotes sit where the build
   placed them. With it:
   - a tap opens a card (a second tap follows the link), Escape closes it, and an open
     card sits next to the line fragment that was hovered, focused or tapped;
   - sidenotes are measured: one that would sit more than half a screen below its
     line, or run past the end of the text, is shown in the text instead.
   No dependencies. */
(function () {
  "use strict";

  document.documentElement.classList.add("js"); // search and the cards' taps work

  var OPEN = "is-open";
  var DISMISSED = "is-dismissed";
  var INLINE = "is-inline";
  var HOSTS = ".term, .preview"; // a phrase with a card
  var EDGE = 8; // px kept free between a card and the edge of the screen
  var GAP = 8; // px between a phrase and its card
  var pointerType = "mouse";
  var opened = null; // the phrase opened by a tap, if any

  function hostOf(node) {
    return node instanceof Element ? node.closest(HOSTS) : null;
  }

  function tipOf(host) {
    return host.querySelector(".term-tip");
  }

  // The line box of the host's link under (x, y), or its first one.
  function fragment(host, x, y) {
    var link = host.querySelector("a") || host;
    var rects = link.getClientRects();
    for (var i = 0; i < rects.length; i += 1) {
      var r = rects[i];
      if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 1) return r;
    }
    return rects[0] || link.getBoundingClientRect();
  }

  // Put the card below (or above) the fragment, inside the screen (not the phone sheet).
  function place(host, x, y) {
    var tip = tipOf(host);
    if (!tip) return;
    tip.classList.remove("tip-above");
    tip.style.setProperty("--tip-x", "0px");
    tip.style.setProperty("--tip-y", "0px");
    if (getComputedStyle(tip).position === "fixed") {
      tip.style.removeProperty("--tip-x");
      tip.style.removeProperty("--tip-y");
      return;
    }
    var origin = tip.getBoundingClientRect(); // where (0, 0) puts it
    var frag = fragment(host, x, y);
    var width = document.documentElement.clientWidth;
    var left = Math.min(frag.left - EDGE, width - EDGE - origin.width);
    left = Math.max(left, EDGE);
    var top = frag.bottom + GAP;
    if (top + origin.height > window.innerHeight && frag.top - GAP - origin.height > 0) {
      top = frag.top - GAP - origin.height;
      tip.classList.add("tip-above");
    }
    tip.style.setProperty("--tip-x", Math.round(left - origin.left) + "px");
    tip.style.setProperty("--tip-y", Math.round(top - origin.top) + "px");
  }

  function close() {
    if (opened) opened.classList.remove(OPEN);
    opened = null;
  }

  document.addEventListener("pointerdown", function (event) {
    pointerType = event.pointerType || "mouse";
  }, true);

  // The pointer arriving over a phrase from outside it: show its card by that fragment.
  document.addEventListener("pointerover", function (event) {
    var host = hostOf(event.target);
    if (!host || (event.relatedTarget instanceof Node && host.contains(event.relatedTarget))) return;
    host.classList.remove(DISMISSED);
    if (!tipOf(host).contains(event.target)) place(host, event.clientX, event.clientY);
  });

  // Focus arriving on a phrase: its card by the phrase's first line.
  document.addEventListener("focusin", function (event) {
    var host = hostOf(event.target);
    if (!host || (event.relatedTarget instanceof Node && host.contains(event.relatedTarget))) return;
    host.classList.remove(DISMISSED);
    place(host, -1, -1);
  });

  // A tap on a phrase opens its card; a second tap follows the link.
  document.addEventListener("click", function (event) {
    var host = hostOf(event.target);
    var link = event.target instanceof Element ? event.target.closest(".term-link, .xref") : null;
    var tap = pointerType === "touch" || pointerType === "pen";
    if (link && host && tap && event.detail > 0 && opened !== host) {
      event.preventDefault();
      close();
      opened = host;
      host.classList.remove(DISMISSED);
      host.classList.add(OPEN);
      place(host, event.clientX, event.clientY);
      return;
    }
    if (opened && opened !== host) close();
  });

  // Escape hides the card until the pointer or the focus comes back to the phrase.
  document.addEventListener("keydown", function (event) {
    pointerType = "keyboard";
    if (event.key !== "Escape") return;
    var shown = document.querySelectorAll(".term:hover, .term:focus-within, .preview:hover, " +
      ".preview:focus-within, ." + OPEN);
    for (var i = 0; i < shown.length; i += 1) shown[i].classList.add(DISMISSED);
    close();
  });

  // Sidenotes: in the margin while they fit near their line and within the text.
  function layoutNotes() {
    var body = document.querySelector(".article-body");
    if (!body) return;
    var notes = body.querySelectorAll(".sidenote");
    if (!notes.length) return;
    var i;
    for (i = 0; i < notes.length; i += 1) notes[i].classList.remove(INLINE);
    if (getComputedStyle(notes[0]).float !== "right") return; // narrow: notes behind numbers
    var limit = window.innerHeight / 2;
    var margin = [];
    for (i = 0; i < notes.length; i += 1) {
      var label = notes[i].parentNode.querySelector("label[for='note-toggle-" + notes[i].id.slice(5) + "']");
      var line = (label || notes[i]).getBoundingClientRect().top;
      if (notes[i].getBoundingClientRect().top - line > limit) notes[i].classList.add(INLINE);
      else margin.push(notes[i]);
    }
    while (margin.length) {
      var last = margin[margin.length - 1];
      if (last.getBoundingClientRect().bottom <= body.getBoundingClientRect().bottom) break;
      last.classList.add(INLINE);
      margin.pop();
    }
  }

  var pending = 0;
  function scheduleLayout() {
    if (!pending) pending = requestAnimationFrame(function () { pending = 0; layoutNotes(); });
  }

  layoutNotes();
  window.addEventListener("resize", scheduleLayout);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(scheduleLayout);
})();
