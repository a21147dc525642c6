// newsline report: draws the timeline (SVG) from the JSON data block and wires the filters,
// the detail panel and the document view. Written for this project; no library. Every string
// from the data is put into the page with textContent or setAttribute, never as HTML.
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var DAY = 86400000;
  var LANE_ORDER = ["day", "week", "month", "season", "quarter", "half", "year", "decade", "century"];
  var ROWS = 4, ROW_H = 9, LANE_GAP = 8, LEFT = 70, TOP = 6, AXIS_H = 22;

  var data = JSON.parse(document.getElementById("report-data").textContent);
  var E = data.entries, sources = data.sources, n = (E.id || []).length;
  var svg = document.getElementById("timeline");
  var tip = document.getElementById("tip");
  var detail = document.getElementById("detail");
  var yearSelect = document.getElementById("year-filter");
  var sourceInput = document.getElementById("source-filter");
  var shownOut = document.getElementById("shown");

  function day(iso) {
    var p = iso.split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]);
  }
  var t0 = new Float64Array(n), t1 = new Float64Array(n);
  for (var i = 0; i < n; i++) {
    t0[i] = day(E.s[i]);
    t1[i] = day(E.e[i] || E.s[i]) + DAY; // end is inclusive: the mark covers the whole last day
  }
  var lanes = [];
  LANE_ORDER.concat(E.g || []).forEach(function (g) {
    if (lanes.indexOf(g) < 0 && (E.g || []).indexOf(g) >= 0) lanes.push(g);
  });

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVGNS, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function selected() {
    // "" = every year; "d1990" = the 1990s; "2019" = one year
    var year = yearSelect.value, needle = sourceInput.value.trim().toLowerCase();
    var first = year.charAt(0) === "d" ? +year.slice(1) : +year;
    var span = year.charAt(0) === "d" ? 10 : 1;
    var lo = year ? Date.UTC(first, 0, 1) : null, hi = year ? Date.UTC(first + span, 0, 1) : null;
    var keep = [];
    for (var i = 0; i < n; i++) {
      if (year && (t1[i] <= lo || t0[i] >= hi)) continue;
      if (needle && sources[E.src[i]].toLowerCase().indexOf(needle) < 0) continue;
      keep.push(i);
    }
    return { keep: keep, lo: lo, hi: hi };
  }

  function ticks(lo, hi) {
    var out = [], d = new Date(lo), years = (hi - lo) / (365.25 * DAY);
    if (years > 3) {
      var step = Math.max(1, Math.ceil(years / 12)), y = d.getUTCFullYear();
      y = y - (y % step);
      for (; Date.UTC(y, 0, 1) < hi; y += step) {
        if (Date.UTC(y, 0, 1) >= lo) out.push([Date.UTC(y, 0, 1), String(y)]);
      }
    } else {
      var mstep = years > 1.5 ? 3 : 1, m = d.getUTCMonth(), yy = d.getUTCFullYear();
      for (var t = Date.UTC(yy, m, 1); t < hi; m += mstep, t = Date.UTC(yy, m, 1)) {
        if (t >= lo) out.push([t, new Date(t).toISOString().slice(0, 7)]);
      }
    }
    return out;
  }

  function draw() {
    var sel = selected(), keep = sel.keep;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var width = Math.max(640, svg.parentNode.clientWidth || 900);
    var laneH = ROWS * ROW_H + LANE_GAP;
    var height = TOP + lanes.length * laneH + AXIS_H;
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    var lo = sel.lo, hi = sel.hi;
    if (lo === null) {
      lo = Infinity; hi = -Infinity;
      keep.forEach(function (i) { lo = Math.min(lo, t0[i]); hi = Math.max(hi, t1[i]); });
      if (!keep.length) { lo = Date.UTC(2000, 0, 1); hi = Date.UTC(2001, 0, 1); }
      var pad = Math.max(DAY, (hi - lo) * 0.02);
      lo -= pad; hi += pad;
    }
    var plotW = width - LEFT - 10;
    function x(t) { return LEFT + ((t - lo) / (hi - lo)) * plotW; }
    lanes.forEach(function (g, k) {
      var y = TOP + k * laneH;
      el("rect", { x: LEFT, y: y, width: plotW, height: laneH - LANE_GAP, class: "lane" }, svg);
      el("text", { x: LEFT - 6, y: y + (laneH - LANE_GAP) / 2 + 4, class: "lane-label" }, svg)
        .textContent = g;
    });
    var axisY = TOP + lanes.length * laneH;
    ticks(lo, hi).forEach(function (tk) {
      el("line", { x1: x(tk[0]), x2: x(tk[0]), y1: TOP, y2: axisY, class: "tick" }, svg);
      el("text", { x: x(tk[0]), y: axisY + 14, class: "tick-label" }, svg).textContent = tk[1];
    });
    var marks = el("g", { class: "marks" }, svg);
    keep.forEach(function (i) {
      var a = Math.max(x(t0[i]), LEFT), b = Math.min(x(t1[i]), LEFT + plotW);
      var lane = lanes.indexOf(E.g[i]);
      el("rect", {
        x: a.toFixed(1), width: Math.max(2, b - a).toFixed(1),
        y: TOP + lane * laneH + (i % ROWS) * ROW_H + 1, height: ROW_H - 2,
        class: "mark g-" + E.g[i], "data-i": i, "data-start": E.s[i], "data-end": E.e[i],
        tabindex: 0
      }, marks);
    });
    svg.setAttribute("data-marks", keep.length);
    shownOut.textContent = keep.length;
  }

  function text(parent, tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (cls) node.className = cls;
    parent.appendChild(node);
    return node;
  }

  function sentence(parent, i) {
    var p = document.createElement("p"), s = E.sn[i], hl = E.hl[i];
    p.className = "sentence";
    if (hl && hl.length === 2) {
      p.appendChild(document.createTextNode(s.slice(0, hl[0])));
      text(p, "mark", s.slice(hl[0], hl[1]));
      p.appendChild(document.createTextNode(s.slice(hl[1])));
    } else {
      p.textContent = s;
    }
    parent.appendChild(p);
  }

  function describe(target, i, withButton) {
    while (target.firstChild) target.removeChild(target.firstChild);
    var range = E.s[i] === E.e[i] ? E.s[i] : E.s[i] + " … " + E.e[i];
    text(target, "h3", (E.tr[i] ? E.tr[i] + " · " : "") + (E.v[i] || range));
    var dl = document.createElement("dl");
    function row(k, v) { if (v) { text(dl, "dt", k); text(dl, "dd", v); } }
    row("date", range + " (" + E.g[i] + (E.mod[i] ? ", " + E.mod[i] : "") + ")");
    row("trigger", E.tr[i]);
    row("class", E.c[i]);
    row("actors", (E.a[i] || []).join("; "));
    row("source", sources[E.src[i]]);
    row("reports", E.m[i] + " mention(s) in " + E.nd[i] + " document(s)");
    target.appendChild(dl);
    sentence(target, i);
    if (withButton && data.docs.indexOf(E.doc[i]) >= 0) {
      var b = text(target, "button", "show the document", "open-doc");
      b.setAttribute("data-doc", E.doc[i]);
    }
  }

  function markOf(ev) {
    return ev.target && ev.target.closest ? ev.target.closest("rect.mark") : null;
  }
  svg.addEventListener("mousemove", function (ev) {
    var m = markOf(ev);
    if (!m) { tip.hidden = true; return; }
    describe(tip, +m.getAttribute("data-i"));
    tip.hidden = false;
    tip.style.left = Math.min(ev.pageX + 12, window.innerWidth - 380) + "px";
    tip.style.top = ev.pageY + 12 + "px";
  });
  svg.addEventListener("mouseleave", function () { tip.hidden = true; });
  function pin(m) {
    var old = svg.querySelector("rect.mark.pinned");
    if (old) old.classList.remove("pinned");
    m.classList.add("pinned");
    describe(detail, +m.getAttribute("data-i"), true);
  }
  svg.addEventListener("click", function (ev) {
    var m = markOf(ev);
    if (m) { pin(m); tip.hidden = true; }
  });
  svg.addEventListener("keydown", function (ev) {
    var m = markOf(ev);
    if (m && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); pin(m); }
  });

  var docSelect = document.getElementById("doc-select");
  function showDoc(id) {
    document.querySelectorAll("section.doc").forEach(function (s) {
      s.hidden = s.getAttribute("data-doc") !== id;
    });
    if (docSelect) docSelect.value = id;
  }
  if (docSelect) {
    docSelect.addEventListener("change", function () { showDoc(docSelect.value); });
    showDoc(docSelect.value);
  }
  detail.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button.open-doc") : null;
    if (!b) return;
    showDoc(b.getAttribute("data-doc"));
    document.getElementById("documents").scrollIntoView();
  });

  yearSelect.addEventListener("change", draw);
  sourceInput.addEventListener("input", draw);
  window.addEventListener("resize", draw);
  draw();
})();
