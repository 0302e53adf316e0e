// The web edition's filters (reportgen). Without this script every row shows and the form stays hidden.
// Rows carry their status, section, lead and search text as data-* attributes; nothing here reads the network.

// A scrolling region (the plan's, each table of numbers) is a tab stop only while it has something to scroll:
// keyboard users scroll it with the arrow keys, and one that fits was a stop that did nothing. Without this
// script every region keeps its tabindex="0" (paper.web.html.j2), so it can always be scrolled.
(function () {
  "use strict";
  var regions = document.querySelectorAll(".plan-scroll[role=region], .table-scroll[role=region]");
  function overflows(region) {
    return region.scrollWidth > region.clientWidth || region.scrollHeight > region.clientHeight;
  }
  function update() {
    Array.prototype.forEach.call(regions, function (region) {
      if (overflows(region)) {
        region.setAttribute("tabindex", "0");
      } else if (region !== document.activeElement) {  // the focused one is left until focus moves on
        region.removeAttribute("tabindex");
      }
    });
  }
  update();
  window.addEventListener("resize", update);
  Array.prototype.forEach.call(regions, function (region) {
    region.addEventListener("blur", update);
    // filtering the plan, or a larger text size, changes what a region holds without resizing the window
    if (window.ResizeObserver && region.firstElementChild) {
      new window.ResizeObserver(update).observe(region.firstElementChild);
    }
  });
})();

(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("plan-table");
  if (!form || !table) { return; }
  var status = document.getElementById("filter-status");
  // the plan's groups (its sections, or the column it is grouped by); none when grouped by lead, and neither
  // filter when it would offer one choice (a plan without sections, or led by one partner)
  var section = document.getElementById("filter-section") || document.createElement("select");
  var lead = document.getElementById("filter-lead") || document.createElement("select");
  var text = document.getElementById("filter-text");
  var count = document.getElementById("result-count");
  var none = document.getElementById("no-results");
  var rows = [];  // every row of every section's tbody, in order
  Array.prototype.forEach.call(table.tBodies, function (body) {
    rows.push.apply(rows, Array.prototype.slice.call(body.rows));
  });
  var total = rows.filter(function (row) { return row.classList.contains("action"); }).length;
  var timer = null;

  function plural(n) { return n === 1 ? "action" : "actions"; }

  // the folding the page's search index was made with (reportgen.render.web.fold): accents, case and
  // typographic punctuation set aside, so "Strasse" finds "Straße", "Ynys Mon" "Ynys Môn" and "childrens"
  // "Children’s"; FOLDED is reportgen.render.web.FOLDED (change both together)
  var FOLDED = {
    "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d",
    "þ": "th", "ı": "i",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "“": "\"", "”": "\"", "„": "\"", "«": "\"", "»": "\"",
    "'": "", "’": "", "‘": "", "‚": "", "ʼ": "", "′": "", "`": ""
  };
  var FOLDABLE = new RegExp("[" + Object.keys(FOLDED).join("").replace(/[\\\]^-]/g, "\\$&") + "]", "g");
  function fold(words) {
    return words.normalize("NFKD").toLowerCase().replace(/\p{M}/gu, "")
      .replace(FOLDABLE, function (found) { return FOLDED[found]; });
  }

  // what a filter is set to, as the page shows it: "Status: Completed" (for the count, printed too)
  function chosen(select) {
    if (!select.value && !(select === section && unsectioned())) { return ""; }
    var label = form.querySelector("label[for='" + select.id + "']");
    return (label ? label.textContent : select.name) + ": " + select.options[select.selectedIndex].text;
  }

  // "No section": the actions with no section (before any section heading, or under "No section")
  function unsectioned() {
    var chosen = section.options[section.selectedIndex];
    return Boolean(chosen && chosen.hasAttribute("data-no-section"));
  }

  function matches(row, words) {
    if (status.value && row.getAttribute("data-status") !== status.value) { return false; }
    if (unsectioned()) {
      if (row.getAttribute("data-section")) { return false; }
    } else if (section.value && row.getAttribute("data-section") !== section.value) { return false; }
    // a joint lead's row is each of its partners' ("OPCC / Wessex Police": "OPCC\nWessex Police")
    if (lead.value && (row.getAttribute("data-lead") || "").split("\n").indexOf(lead.value) === -1) { return false; }
    var haystack = row.getAttribute("data-text") || "";
    return words.every(function (word) { return haystack.indexOf(word) !== -1; });
  }

  function apply() {
    var words = fold(text.value).split(/\s+/).filter(Boolean);
    var filtered = Boolean(status.value || section.value || unsectioned() || lead.value || words.length);
    var shown = 0;
    // walk backwards so a section heading knows whether any row under it is still shown
    var shownBelow = {};
    for (var i = rows.length - 1; i >= 0; i -= 1) {
      var row = rows[i];
      if (row.classList.contains("action")) {
        var visible = matches(row, words);
        row.hidden = !visible;
        if (visible) { shown += 1; shownBelow = {1: true, 2: true}; }
      } else {
        var level = Number(row.getAttribute("data-level") || 1);
        row.hidden = !shownBelow[level];
        if (level === 1) { shownBelow = {}; } else { shownBelow[2] = false; }
      }
    }
    table.hidden = shown === 0;
    none.hidden = shown !== 0;
    var filters = [chosen(status), chosen(section), chosen(lead)].filter(Boolean);
    if (text.value.trim()) { filters.push("search: " + text.value.trim()); }
    count.textContent = filtered
      ? "Showing " + shown + " of " + total + " " + plural(total) + " (" + filters.join("; ") + ")."
      : total + " " + plural(total) + " in the plan.";
  }

  function later() {
    // typing: announce once the person pauses, not at every key
    window.clearTimeout(timer);
    timer = window.setTimeout(apply, 250);
  }

  // a fragment that is not valid percent-encoding ("#50%") is taken as written (decoding it threw, and the
  // filters never came)
  function decoded(fragment) {
    try { return decodeURIComponent(fragment); } catch (error) { return fragment; }
  }

  // keyboard focus and #action-N links scroll clear of the sticky header row, however tall it wraps: the
  // window's top in a wide window, the plan's region's top in a narrow one (it scrolls both ways there)
  var region = table.parentNode;
  function inRegion() {
    return window.getComputedStyle(region).overflowY !== "visible";
  }
  function clearHeader() {
    var head = table.tHead;
    var sticky = head && window.getComputedStyle(head.rows[0].cells[0]).position === "sticky";
    var clear = sticky ? head.offsetHeight + (inRegion() ? 8 : 16) + "px" : "";
    document.documentElement.style.scrollPaddingTop = clear;
    // the same padding in the region and the window: a row scrolled to the region's top brings the region's
    // top to the window's
    region.style.scrollPaddingTop = inRegion() ? clear : "";
  }
  clearHeader();
  window.addEventListener("resize", clearHeader);
  // the region in a narrow window is at most 80% of its height: a row reached by focus or a link shows it
  // whole, with its header row and its sideways scrollbar, not cut off at the window's top or foot
  function showRegion() {
    if (!inRegion()) { return; }
    var box = region.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) { window.scrollBy(0, box.top); }
  }
  region.addEventListener("focusin", function () { window.requestAnimationFrame(showRegion); });

  // a link to an action the filters hide (the stalled actions' table, "Changes since the last draft", a
  // #action-N typed in the address bar): the filters are cleared so the link reaches its row
  function reveal(id) {
    var row = id && document.getElementById(id);
    if (!row || !row.hidden || !table.contains(row)) { return false; }
    form.reset();
    apply();
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (link) { reveal(decoded(link.getAttribute("href").slice(1))); }
  });
  // a link to an action this paper does not have (withdrawn, or not published in this edition): said, never why
  var missing = document.createElement("p");
  missing.className = "no-results";
  missing.id = "missing-action";
  missing.setAttribute("role", "status");
  missing.hidden = true;
  form.parentNode.insertBefore(missing, form);
  function sayMissing(id) {
    var ref = /^action-(\d+)$/.exec(id || "");
    missing.hidden = !ref || Boolean(document.getElementById(id));
    if (!missing.hidden) {
      missing.textContent = "Action " + ref[1] + " is not in this paper.";
      missing.scrollIntoView();
    }
  }
  // the row the address names: "#action-07" is action 7's (its id is "action-7")
  function target() {
    var id = decoded(window.location.hash.slice(1));
    var ref = /^action-0*(\d+)$/i.exec(id);
    return ref ? "action-" + ref[1] : id;
  }
  // scrolled to when the address names it otherwise than its id (the browser only goes to the id as written)
  function goTo(id) {
    var named = window.location.hash.slice(1) === id;
    if ((reveal(id) || !named) && document.getElementById(id)) { document.getElementById(id).scrollIntoView(); }
    if (table.contains(document.getElementById(id))) { window.requestAnimationFrame(showRegion); }
  }
  window.addEventListener("hashchange", function () {
    var id = target();
    goTo(id);
    sayMissing(id);
  });
  goTo(target());
  sayMissing(target());

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("change", apply);
  text.addEventListener("input", later);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  // Back to the page, or reloading it: the browser puts the filters' last choices back after this script
  // ran, so the rows are filtered to them then (else a filter read "Completed" over every action)
  window.addEventListener("pageshow", apply);
})();
