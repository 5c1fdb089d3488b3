/* briefgen: the search page. Pagefind's index (under pagefind/) is loaded only when a
   search starts, so pages cost nothing until then. Results list briefings and
   glossary entries; the box keeps its query in the address (?q=), so a search from the
   header's field, a reload or a shared link shows the same results. No dependencies. */
(function () {
  "use strict";

  var form = document.querySelector(".search-form");
  if (!form) return;
  var input = form.querySelector(".search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var MAX = 12; // results shown
  var engine = null; // the promise of Pagefind, once loaded
  var latest = 0; // the number of the newest search, so older answers are dropped

  function load() {
    if (!engine) {
      engine = import(form.dataset.bundle + "pagefind.js").then(function (pagefind) {
        return pagefind.options({ baseUrl: form.dataset.prefix }).then(function () {
          return pagefind;
        });
      });
    }
    return engine;
  }

  // A result's entries: the glossary's entries (headings below the page's sections), else the page.
  function entries(result) {
    var subs = (result.sub_results || []).filter(function (sub) {
      return sub.anchor && /^h[3-6]$/i.test(sub.anchor.element) && sub.url.indexOf("#") >= 0;
    });
    if (!subs.length) return [{ title: result.meta.title, url: result.url, excerpt: result.excerpt }];
    return subs.map(function (sub) {
      return { title: sub.title, url: sub.url, excerpt: sub.excerpt, within: result.meta.title };
    });
  }

  function item(entry) {
    var li = document.createElement("li");
    li.className = "search-result";
    var link = document.createElement("a");
    link.className = "search-result-title";
    link.href = entry.url;
    link.textContent = entry.title;
    li.append(link);
    if (entry.within) {
      var within = document.createElement("span");
      within.className = "search-result-within";
      within.textContent = entry.within;
      li.append(" ", within);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "search-result-excerpt";
    excerpt.innerHTML = entry.excerpt; // Pagefind's excerpt: escaped text with <mark> around matches
    li.append(excerpt);
    return li;
  }

  function show(query, found) {
    list.replaceChildren.apply(list, found.slice(0, MAX).map(item));
    if (!query) status.textContent = "";
    else if (!found.length) status.textContent = "Nothing found for “" + query + "”.";
    else status.textContent = found.length + (found.length === 1 ? " result" : " results") + " for “" + query + "”.";
  }

  function search(query) {
    var number = ++latest;
    query = query.trim();
    if (!query) {
      show("", []);
      return;
    }
    load()
      .then(function (pagefind) { return pagefind.debouncedSearch(query); })
      .then(function (answer) {
        if (number !== latest || !answer) return null; // a newer search is under way
        return Promise.all(answer.results.slice(0, MAX).map(function (r) { return r.data(); }));
      })
      .then(function (results) {
        if (number !== latest || !results) return;
        var found = [];
        results.forEach(function (r) { found.push.apply(found, entries(r)); });
        show(query, found);
      })
      .catch(function () {
        status.textContent = "Search is not available right now.";
      });
  }

  input.addEventListener("input", function () {
    var url = new URL(location.href);
    if (input.value) url.searchParams.set("q", input.value);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    search(input.value);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search(input.value);
  });

  var query = new URLSearchParams(location.search).get("q");
  if (query) {
    input.value = query;
    search(query);
  }
})();
