// Stocktaking shortlists: a list of entry ids kept in this browser, with no
// account. localStorage holds the list; a cookie mirrors it so that the
// server renders the right buttons and the links work without JavaScript
// (/shortlist?add=ID adds through the cookie). On load the cookie wins,
// since the server may have changed it (a click made before this script
// ran, or with scripts off).
(function () {
  "use strict";

  var KEY = "stocktaking.shortlist", COOKIE = "shortlist", MAX = 200, SEP = "|";
  var YEAR = 365 * 24 * 3600;

  function readCookie() {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === COOKIE) return parts[i].slice(eq + 1);
    }
    return null;
  }

  function decode(raw) {
    var out = [];
    (raw || "").split(SEP).forEach(function (p) {
      if (!p) return;
      try { p = decodeURIComponent(p); } catch (e) { return; }
      if (out.indexOf(p) < 0 && out.length < MAX) out.push(p);
    });
    return out;
  }

  function writeCookie(ids) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    if (!ids.length) {
      document.cookie = COOKIE + "=; Path=/; Max-Age=0; SameSite=Lax" + secure;
      return;
    }
    document.cookie = COOKIE + "=" + ids.map(encodeURIComponent).join(SEP) + "; Path=/; Max-Age=" + YEAR + "; SameSite=Lax" + secure;
  }

  function load() {
    var fromCookie = readCookie();
    if (fromCookie !== null) return decode(fromCookie);
    try {
      var saved = JSON.parse(localStorage.getItem(KEY) || "[]");
      if (Array.isArray(saved)) return saved.filter(function (x) { return typeof x === "string"; }).slice(0, MAX);
    } catch (e) { /* storage off or damaged: start empty */ }
    return [];
  }

  function save(ids) {
    try { localStorage.setItem(KEY, JSON.stringify(ids)); } catch (e) { /* private mode: the cookie still holds it */ }
    writeCookie(ids);
  }

  var ids = load();
  save(ids);

  function nav() { return document.querySelector(".mainnav"); }
  function label(name) { var n = nav(); return n ? n.getAttribute("data-sl-" + name) || "" : ""; }

  function announce(text) {
    var live = document.getElementById("sl-live");
    if (!live) return;
    live.textContent = "";
    setTimeout(function () { live.textContent = text; }, 30);
  }

  // paint sets every button and the count to the current list.
  function paint() {
    var counts = document.querySelectorAll("[data-sl-count]");
    for (var i = 0; i < counts.length; i++) counts[i].textContent = String(ids.length);
    var btns = document.querySelectorAll("a[data-sl]");
    for (var k = 0; k < btns.length; k++) {
      var b = btns[k], on = ids.indexOf(b.getAttribute("data-sl")) >= 0;
      b.setAttribute("role", "button");
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.classList.toggle("on", on);
      var t = b.querySelector(".sl-t");
      if (t) t.textContent = label(on ? "in" : "add");
    }
  }

  function toggle(id) {
    var i = ids.indexOf(id);
    if (i >= 0) {
      ids.splice(i, 1);
      announce(label("removed"));
    } else if (ids.length >= MAX) {
      announce(label("full"));
      return;
    } else {
      ids.push(id);
      announce(label("added"));
    }
    save(ids);
    paint();
  }

  document.addEventListener("click", function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    var a = ev.target.closest ? ev.target.closest("a[data-sl]") : null;
    if (a) {
      ev.preventDefault();
      ev.stopPropagation();
      toggle(a.getAttribute("data-sl"));
      return;
    }
    var copy = ev.target.closest ? ev.target.closest("button.copy") : null;
    if (copy) {
      var input = document.getElementById(copy.getAttribute("data-copy"));
      if (!input) return;
      var done = function () { announce(copy.getAttribute("data-done")); copy.textContent = copy.getAttribute("data-done"); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
      else { input.select(); }
      return;
    }
    var pr = ev.target.closest ? ev.target.closest("button.print") : null;
    if (pr) window.print();
  }, true);

  // Role "button" links answer the space bar too.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== " ") return;
    var a = ev.target.closest ? ev.target.closest("a[data-sl]") : null;
    if (a) { ev.preventDefault(); toggle(a.getAttribute("data-sl")); }
  });

  function init() {
    paint();
    var hidden = document.querySelectorAll("button.copy[hidden], button.print[hidden]");
    for (var i = 0; i < hidden.length; i++) hidden[i].hidden = false;
  }

  // The search page swaps its content in place (app.js): repaint then.
  if (window.MutationObserver) {
    new MutationObserver(function () { paint(); }).observe(document.body, { childList: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
