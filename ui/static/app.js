// Stocktaking: small enhancements over pages that work without JavaScript.
// - search-as-you-type suggestions (ARIA combobox) from /api/v1/suggest,
//   or matching titles from /api/v1/search where suggestions are off
// - facet, chip, sort and page links swap the page in place (history kept)
// - keyboard: "/" focuses the search box, "j"/"k" move between results
// No inline script or handler is used, so a strict CSP applies.
(function () {
  "use strict";

  // The page sends the filters folded (a phone paints them so, without a
  // layout shift); the stylesheet unfolds them on wide screens, and this
  // opens them there for browsers without ::details-content. The media
  // query is the complement of the stylesheet's narrow one.
  var narrow = window.matchMedia("(max-width: 900px)");

  function openFiltersOnWide() {
    var f = document.getElementById("filters");
    if (f && !narrow.matches) f.open = true;
  }

  // ---- in-place navigation of the search page ------------------------
  var busy = null;
  // shown is the path and query of the content on screen. A popstate that
  // keeps them (following a #fragment such as the skip link) is no
  // navigation between searches.
  var shown = location.pathname + location.search;

  function isSearchURL(url) {
    return url.origin === location.origin && (url.pathname === "/search" || url.pathname === "/");
  }

  function swap(url, push, focusHint) {
    if (busy) busy.abort();
    var ctrl = typeof AbortController === "function" ? new AbortController() : null;
    busy = ctrl;
    var results = document.querySelector(".results");
    if (results) results.classList.add("loading");
    fetch(url, { headers: { Accept: "text/html" }, signal: ctrl ? ctrl.signal : undefined, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok || (r.headers.get("Content-Type") || "").indexOf("text/html") !== 0) throw new Error("status " + r.status);
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var newMain = doc.getElementById("main"), newTop = doc.getElementById("top");
        if (!newMain || !newTop) throw new Error("unexpected page");
        var wasOpen = document.getElementById("filters");
        wasOpen = wasOpen ? wasOpen.open : true;
        document.getElementById("main").replaceWith(document.adoptNode(newMain));
        document.getElementById("top").replaceWith(document.adoptNode(newTop));
        document.title = doc.title;
        var f = document.getElementById("filters");
        if (f) f.open = wasOpen;
        if (push) history.pushState({ swap: true }, "", url);
        shown = location.pathname + location.search;
        restoreFocus(focusHint);
        announce();
        busy = null;
      })
      .catch(function (err) {
        if (err && err.name === "AbortError") return;
        location.href = url; // fall back to a normal page load
      });
  }

  // restoreFocus puts the focus back on the link that was used (same facet,
  // same label), or on the result heading.
  function restoreFocus(hint) {
    var el = null;
    if (hint && hint.section) {
      var sec = document.getElementById(hint.section);
      if (sec) {
        var links = sec.querySelectorAll("a");
        for (var i = 0; i < links.length; i++) {
          if (links[i].textContent === hint.text) { el = links[i]; break; }
        }
      }
    }
    if (!el) el = document.getElementById("results-h");
    if (el) el.focus({ preventScroll: !!(hint && hint.section) });
    if (!hint || !hint.section) window.scrollTo(0, 0);
  }

  function announce() {
    var live = document.getElementById("live"), h = document.getElementById("results-h");
    if (live && h) live.textContent = h.textContent;
  }

  document.addEventListener("click", function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    var a = ev.target.closest ? ev.target.closest("a[href]") : null;
    if (!a || !a.closest("#page")) return;
    var url = new URL(a.getAttribute("href") || a.href.baseVal || "", location.href);
    if (!isSearchURL(url)) return;
    ev.preventDefault();
    var sec = a.closest("section[id]");
    swap(url.href, true, sec && sec.id !== "f-years" ? { section: sec.id, text: a.textContent } : null);
  });

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches("form.yr") || ev.defaultPrevented) return;
    ev.preventDefault();
    var params = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { if (v !== "") params.append(k, v); });
    var qs = params.toString();
    swap("/search" + (qs ? "?" + qs : ""), true, null);
  });

  window.addEventListener("popstate", function () {
    var url = new URL(location.href);
    if (url.pathname + url.search === shown) return;
    if (isSearchURL(url)) swap(location.href, false, null);
  });

  // ---- suggestions ------------------------------------------------------
  var timer = 0, seq = 0, active = -1, items = [];

  function box() { return document.getElementById("q"); }

  function list() {
    var ul = document.getElementById("suggest");
    if (ul) return ul;
    var input = box();
    if (!input) return null;
    ul = document.createElement("ul");
    ul.id = "suggest";
    ul.className = "suggest";
    ul.setAttribute("role", "listbox");
    ul.setAttribute("aria-label", input.getAttribute("data-suggest") || "Suggestions");
    ul.hidden = true;
    input.parentNode.appendChild(ul);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", "suggest");
    input.setAttribute("aria-expanded", "false");
    return ul;
  }

  function hide() {
    var ul = document.getElementById("suggest"), input = box();
    if (ul) { ul.hidden = true; ul.textContent = ""; }
    if (input) { input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); }
    items = []; active = -1;
  }

  function show(list2) {
    var ul = list(), input = box();
    if (!ul || !input) return;
    ul.textContent = "";
    items = list2;
    active = -1;
    list2.forEach(function (it, i) {
      var li = document.createElement("li");
      li.id = "sg-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = it.text;
      if (it.meta) {
        var small = document.createElement("small");
        small.textContent = it.meta;
        li.appendChild(small);
      }
      li.addEventListener("mousedown", function (e) { e.preventDefault(); go(i); });
      ul.appendChild(li);
    });
    ul.hidden = list2.length === 0;
    input.setAttribute("aria-expanded", list2.length ? "true" : "false");
  }

  function mark(i) {
    var input = box(), ul = document.getElementById("suggest");
    if (!ul || !items.length) return;
    active = (i + items.length) % items.length;
    for (var k = 0; k < ul.children.length; k++) ul.children[k].setAttribute("aria-selected", k === active ? "true" : "false");
    input.setAttribute("aria-activedescendant", "sg-" + active);
  }

  function go(i) {
    var it = items[i];
    if (it) location.href = it.href;
  }

  // langSuffix carries a language chosen in the URL on to the next page.
  function langSuffix(first) {
    var f = document.querySelector("#search input[name=lang]");
    return f ? (first ? "?" : "&") + "lang=" + encodeURIComponent(f.value) : "";
  }

  // fromSuggestion turns one /api/v1/suggest answer into a list item.
  function fromSuggestion(sg) {
    var form = document.getElementById("search");
    var kind = form && form.getAttribute("data-k-" + sg.kind) || "";
    var href;
    if (sg.kind === "title") href = "/entries/" + encodeURIComponent(sg.value) + langSuffix(true);
    else if (sg.kind === "country" || sg.kind === "action_line" || sg.kind === "sdg") href = "/search?" + sg.kind + "=" + encodeURIComponent(sg.value) + langSuffix(false);
    else href = "/search?q=" + encodeURIComponent(sg.value || sg.text) + langSuffix(false);
    var meta = [kind, sg.count ? String(sg.count) : ""].filter(Boolean).join(" · ");
    return { text: sg.text, meta: meta, href: href };
  }

  // fromHits lists matching titles when the suggestion service is missing.
  function fromHits(q) {
    return fetch("/api/v1/search?size=6&facets=none&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
      .then(function (res) {
        return (res.hits || []).map(function (h) {
          return { text: h.title, meta: [h.organization, h.year].filter(Boolean).join(" · "), href: "/entries/" + encodeURIComponent(h.id) + langSuffix(true) };
        });
      });
  }

  function fetchSuggestions(text) {
    var my = ++seq;
    var q = text.trim();
    if (q.length < 2) { hide(); return; }
    var lang = document.documentElement.lang || "en";
    fetch("/api/v1/suggest?limit=8&lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.ok) return r.json().then(function (d) { return (d.suggestions || []).map(fromSuggestion); });
        var p = q;
        if (/[\p{L}\p{N}]$/u.test(p) && !/["*]/.test(p)) p += "*";
        return fromHits(p);
      })
      .then(function (list2) { if (my === seq && document.activeElement === box()) show(list2); })
      .catch(function () { if (my === seq) hide(); });
  }

  document.addEventListener("input", function (ev) {
    if (ev.target.id !== "q") return;
    clearTimeout(timer);
    var v = ev.target.value;
    timer = setTimeout(function () { fetchSuggestions(v); }, 160);
  });

  document.addEventListener("focusout", function (ev) {
    if (ev.target.id === "q") setTimeout(hide, 120);
  });

  // ---- keyboard -----------------------------------------------------------
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function moveResult(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll(".hit h2 a"));
    if (!links.length) return;
    var i = links.indexOf(document.activeElement);
    var next = links[Math.max(0, Math.min(links.length - 1, i < 0 ? 0 : i + step))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (t && t.id === "q") {
      if (ev.key === "ArrowDown" && items.length) { ev.preventDefault(); mark(active + 1); }
      else if (ev.key === "ArrowUp" && items.length) { ev.preventDefault(); mark(active - 1); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); go(active); }
      else if (ev.key === "Escape") { if (items.length) hide(); else t.blur(); }
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(t)) return;
    if (ev.key === "/") {
      var q = box();
      if (q) { ev.preventDefault(); q.focus(); q.select(); }
    } else if (ev.key === "j") {
      moveResult(1);
    } else if (ev.key === "k") {
      moveResult(-1);
    }
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", openFiltersOnWide);
  else openFiltersOnWide();
})();
