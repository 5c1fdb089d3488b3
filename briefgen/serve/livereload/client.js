/* briefgen live reload, added to pages by `briefgen serve` only.
 *
 * Reloads the page after a successful build, swaps its stylesheets after a CSS-only
 * one, and shows the diagnostics of a failed build in an overlay until a build
 * succeeds. States come from the server's event stream, through a shared worker
 * (one connection for all tabs) or, where there is none, an EventSource of our own.
 */
(function () {
  "use strict";

  var STYLE = [
    ":host { all: initial !important; display: block !important;",
    "  position: fixed !important; top: 0 !important; left: 0 !important;",
    "  right: 0 !important; z-index: 2147483647 !important;",
    "  max-height: 100vh !important; overflow: auto !important;",
    "  color-scheme: light dark; }",
    ".panel { box-sizing: border-box; width: 100%; margin: 0;",
    "  padding: 1rem 1.25rem 1.25rem; font: 15px/1.5 system-ui, sans-serif;",
    "  color: #1f2328; background: #fff6f5; border-bottom: 4px solid #cf222e;",
    "  box-shadow: 0 6px 24px rgba(0, 0, 0, 0.25); text-align: left; }",
    ".bar { display: flex; align-items: baseline; gap: 1rem; }",
    "h2 { flex: 1; margin: 0; font-size: 1.05rem; font-weight: 700; }",
    ".note { margin: 0.25rem 0 0; font-size: 0.9rem; opacity: 0.85; }",
    "button { font: inherit; font-size: 0.9rem; padding: 0.2rem 0.8rem;",
    "  color: inherit; background: transparent; border: 1px solid currentColor;",
    "  border-radius: 4px; cursor: pointer; }",
    "button:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }",
    "ol { margin: 0.75rem 0 0; padding: 0; list-style: none; }",
    "li + li { margin-top: 0.75rem; }",
    ".headline { margin: 0; font: 600 14px/1.5 ui-monospace, SFMono-Regular, Menlo,",
    "  Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }",
    ".severity { color: #cf222e; } .fix { color: #116329; }",
    "pre { margin: 0.35rem 0 0; padding: 0.6rem 0.9rem; overflow-x: auto;",
    "  font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;",
    "  background: #ffffff; border: 1px solid #efc4c4; border-radius: 6px; }",
    "@media (prefers-color-scheme: dark) {",
    "  .panel { color: #e6edf3; background: #2a1215; border-bottom-color: #f85149; }",
    "  pre { background: #0d1117; border-color: #6e2b2b; }",
    "  .severity { color: #ff7b72; } .fix { color: #7ee787; }",
    "  button:focus-visible { outline-color: #58a6ff; } }",
  ].join("\n");

  var script = document.currentScript;
  var base = new URL(".", script.src).href; // ".../__briefgen/"
  var data = document.getElementById("briefgen-live");
  var page = data ? JSON.parse(data.textContent) : { epoch: 0, session: "" };
  var host = null; // the overlay's element, while it is shown
  var shown = ""; // the diagnostics on screen, as JSON
  var dismissed = ""; // the diagnostics the reader closed, as JSON
  var port = null;
  var reloading = false;

  // Reload, swap stylesheets or update the overlay for a state from the server.
  function apply(state) {
    if (reloading) {
      return;
    }
    if (state.session !== page.session || state.epoch > page.epoch) {
      if (state.session === page.session && state.css_only && state.epoch === page.epoch + 1) {
        swapStylesheets(state.epoch);
        page.epoch = state.epoch;
      } else {
        reloading = true;
        location.reload();
        return;
      }
    }
    showDiagnostics(state.diagnostics);
  }

  // Load each same-origin stylesheet again, dropping the old link once the new one loaded.
  function swapStylesheets(epoch) {
    var links = document.querySelectorAll("link[rel~='stylesheet' i][href]");
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) {
        return;
      }
      url.searchParams.set("briefgen", String(epoch));
      var next = link.cloneNode(false);
      var done = function () {
        link.remove();
      };
      next.addEventListener("load", done);
      next.addEventListener("error", done);
      next.href = url.href;
      link.after(next);
    });
  }

  // A new element with an optional class and text.
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  // The diagnostic's headline, its location, code and fix set off by colour.
  function headline(d) {
    var line = element("p", "headline");
    var severity = d.severity + "[" + d.code + "]";
    var parts = d.location + ": " + severity + ": " + d.message + (d.fix ? "; fix: " + d.fix : "");
    if (parts !== d.headline) {
      line.textContent = d.headline;
      return line;
    }
    line.append(element("span", "location", d.location), ": ");
    line.append(element("span", "severity", severity), ": " + d.message);
    if (d.fix) {
      line.append(element("span", "fix", "; fix: " + d.fix));
    }
    return line;
  }

  // The overlay's panel: a title, a dismiss button and every diagnostic.
  function render(diagnostics) {
    var panel = element("div", "panel");
    panel.setAttribute("role", "alert");
    var bar = element("div", "bar");
    var count = diagnostics.length;
    var title = element("h2", "", count === 1 ? "Build failed" : "Build failed: " + count + " problems");
    var close = element("button", "", "Dismiss");
    close.type = "button";
    close.addEventListener("click", dismiss);
    bar.append(title, close);
    var note = "The page shows the last good build. This message goes away when the build succeeds.";
    var list = element("ol");
    diagnostics.forEach(function (d) {
      var item = element("li");
      item.append(headline(d));
      var rest = d.text.split("\n").slice(1).join("\n");
      if (rest) {
        item.append(element("pre", "", rest));
      }
      list.append(item);
    });
    panel.append(bar, element("p", "note", note), list);
    return panel;
  }

  // Show the overlay for these diagnostics, or remove it when there are none.
  function showDiagnostics(diagnostics) {
    var key = JSON.stringify(diagnostics);
    if (!diagnostics.length) {
      dismissed = "";
    }
    if (key === shown || key === dismissed) {
      return;
    }
    hide();
    if (!diagnostics.length) {
      return;
    }
    host = document.createElement("briefgen-overlay");
    var root = host.attachShadow({ mode: "open" });
    root.append(element("style", "", STYLE), render(diagnostics));
    document.documentElement.append(host);
    document.addEventListener("keydown", onKey);
    shown = key;
  }

  // Remove the overlay.
  function hide() {
    if (host) {
      host.remove();
      host = null;
      document.removeEventListener("keydown", onKey);
    }
    shown = "";
  }

  // Close the overlay until the diagnostics change.
  function dismiss() {
    dismissed = shown;
    hide();
  }

  // Escape closes the overlay.
  function onKey(event) {
    if (event.key === "Escape") {
      dismiss();
    }
  }

  // Follow the event stream with an EventSource of this page's own.
  function listenDirectly() {
    var source = new EventSource(base + "events");
    source.addEventListener("message", function (event) {
      apply(JSON.parse(event.data));
    });
  }

  // Follow the event stream through the shared worker, or directly without one.
  function connect() {
    if (typeof SharedWorker !== "function") {
      listenDirectly();
      return;
    }
    try {
      var worker = new SharedWorker(base + "worker.js", { name: "briefgen-livereload" });
      worker.addEventListener("error", listenDirectly, { once: true });
      port = worker.port;
      port.addEventListener("message", function (event) {
        apply(JSON.parse(event.data));
      });
      port.start();
    } catch (error) {
      port = null;
      listenDirectly();
    }
  }

  window.addEventListener("pagehide", function () {
    if (port) {
      port.postMessage("bye");
      port = null;
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      connect();
    }
  });
  connect();
})();
