/* briefgen: glossary cards for touch and keyboard. The cards work without this file
   (CSS shows them on hover and focus); this adds tap-to-open, Escape to close, and
   keeps a card inside the screen. No dependencies. */
(function () {
  "use strict";

  var OPEN = "is-open";
  var DISMISSED = "is-dismissed";
  var EDGE = 8; // px kept free between a card and the edge of the screen
  var pointerType = "mouse";
  var opened = null; // the term opened by a tap, if any

  function termOf(node) {
    return node instanceof Element ? node.closest(".term") : null;
  }

  function tipOf(term) {
    return term.querySelector(".term-tip");
  }

  // Move the card left or above when it would leave the screen (not for the phone sheet).
  function place(term) {
    var tip = tipOf(term);
    if (!tip) return;
    tip.style.removeProperty("--tip-shift");
    tip.classList.remove("tip-above");
    if (getComputedStyle(tip).position === "fixed") return;
    var box = tip.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var shift = 0;
    if (box.right > width - EDGE) shift = width - EDGE - box.right;
    if (box.left + shift < EDGE) shift = EDGE - box.left;
    if (shift) tip.style.setProperty("--tip-shift", Math.round(shift) + "px");
    var termBox = term.getBoundingClientRect();
    if (box.bottom > window.innerHeight && termBox.top > box.height + 2 * EDGE) {
      tip.classList.add("tip-above");
    }
  }

  function close() {
    if (opened) opened.classList.remove(OPEN);
    opened = null;
  }

  document.addEventListener("pointerdown", function (event) {
    pointerType = event.pointerType || "mouse";
  }, true);

  // Pointer or focus arriving from outside a term shows its card again after Escape.
  function enter(event) {
    var term = termOf(event.target);
    if (!term) return;
    if (event.relatedTarget instanceof Node && term.contains(event.relatedTarget)) return;
    term.classList.remove(DISMISSED);
    place(term);
  }

  document.addEventListener("pointerover", enter);
  document.addEventListener("focusin", enter);

  // A tap on a term opens its card; a second tap follows the link to the glossary.
  document.addEventListener("click", function (event) {
    var term = termOf(event.target);
    var link = event.target instanceof Element ? event.target.closest(".term-link") : null;
    var tap = pointerType === "touch" || pointerType === "pen";
    if (link && term && tap && event.detail > 0 && opened !== term) {
      event.preventDefault();
      close();
      opened = term;
      term.classList.remove(DISMISSED);
      term.classList.add(OPEN);
      place(term);
      return;
    }
    if (opened && opened !== term) close();
  });

  // Escape hides the card until the pointer or the focus comes back to the term.
  document.addEventListener("keydown", function (event) {
    pointerType = "keyboard";
    if (event.key !== "Escape") return;
    var shown = document.querySelectorAll(".term:hover, .term:focus-within, .term." + OPEN);
    for (var i = 0; i < shown.length; i += 1) shown[i].classList.add(DISMISSED);
    close();
  });
})();
