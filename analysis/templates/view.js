// stakemap network view. Every string from the data reaches the page through textContent,
// DOM properties or the canvas: never innerHTML, so a hostile name stays text.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("stakemap-data").textContent);
  var state = window.stakemapView = {
    ready: false, nodeCount: data.nodes.length, edgeCount: data.edges.length,
    visibleCount: data.nodes.length, selectedNodeId: null, errors: [], keyIds: [], presentation: false
  };
  window.addEventListener("error", function (event) { state.errors.push(String(event.message)); });
  document.body.setAttribute("data-node-count", String(data.nodes.length));

  var SAFE_LINK = /^[A-Za-z0-9_.-]+\.html$/;
  var SAFE_COLOUR = /^#[0-9a-fA-F]{6}$/;
  var FONT = "Sarabun, Tahoma, 'TH Sarabun New', 'Noto Sans Thai', sans-serif";
  var SHAPES = {dot: "\u25cf", square: "\u25a0", triangle: "\u25b2", diamond: "\u25c6", hexagon: "\u2b22"};
  // Labels on a projector (issue 17): the data.nKeyLabels most important visible nodes are
  // always named at LABEL_PX on screen, whatever the zoom; the others appear once zooming
  // makes them OTHER_LABEL_PX (vis-network would draw them from 4 px, which no one can read
  // and which covers the picture). Sizes are screen pixels; 16 px is a laptop's body text.
  var LOOK = {
    normal: {labelPx: 16, otherLabelPx: 12, colour: "#222222", stroke: 3},
    presentation: {labelPx: 24, otherLabelPx: 16, colour: "#000000", stroke: 5}
  };
  var BASE_FONT = 14;  // canvas units: a label's size at zoom 1
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (className) { e.className = className; }
    return e;
  }

  function rowsBox(heading, rows, className) {
    var box = el("div", null, className);
    box.appendChild(el("strong", heading));
    rows.forEach(function (row) {
      var line = el("div");
      line.appendChild(el("span", row[0] + ": ", "key"));
      line.appendChild(el("span", row[1]));
      box.appendChild(line);
    });
    return box;
  }

  // The same folding as the Python side's search_key, for what a user types: NFC, no
  // zero-width characters, the two common Thai typing variants (เเ → แ, ํา → ำ), lower case.
  function normalise(text) {
    return String(text).normalize("NFC").replace(/[\u200b-\u200d\u2060\ufeff]/g, "")
      .replace(/\u0e40\u0e40/g, "\u0e41").replace(/\u0e4d\u0e32/g, "\u0e33")
      .replace(/\s+/g, " ").trim().toLowerCase();
  }

  // ---------------------------------------------------------------- filters
  var kindOn = {};
  var agencyFilter = "";
  var areaFilter = "";
  var visible = {};

  function isVisible(n) {
    return kindOn[n.kind] !== false &&
      (!agencyFilter || n.id === agencyFilter || n.agencies.indexOf(agencyFilter) >= 0) &&
      (!areaFilter || n.areas.indexOf(areaFilter) >= 0);
  }

  function computeVisible() {
    visible = {};
    var count = 0;
    data.nodes.forEach(function (n) { if (isVisible(n)) { visible[n.id] = true; count += 1; } });
    state.visibleCount = count;
    document.getElementById("counts").textContent =
      "แสดง " + count + " จาก " + data.nodes.length + " จุด / showing " + count + " of " + data.nodes.length + " nodes";
  }
  computeVisible();

  // ---------------------------------------------------------------- network data
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var item = {};
    Object.keys(n).forEach(function (key) { item[key] = n[key]; });
    var heading = n.labelEn && n.labelEn !== n.label ? n.label + " / " + n.labelEn : n.label;
    item.title = rowsBox(heading, n.info, "tip");
    return item;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var item = {};
    Object.keys(e).forEach(function (key) { item[key] = e[key]; });
    item.title = rowsBox("", e.info, "tip");
    return item;
  }));
  var nodeView = new vis.DataView(nodes, {filter: function (n) { return visible[n.id] === true; }});
  var byRank = data.nodes.slice().sort(function (a, b) { return a.rank - b.rank; });
  var edgeView = new vis.DataView(edges, {filter: function (e) { return visible[e.from] === true && visible[e.to] === true; }});

  function refresh() {
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    if (network) { fitView(null); }
  }

  // ---------------------------------------------------------------- panel
  document.getElementById("note").textContent = data.note;
  document.getElementById("size-by").textContent = "ขนาดจุดตาม / node size by: " + data.sizeBy;

  function swatch(item) {
    var mark = el("span", SHAPES[item.shape] || SHAPES.dot, "swatch");
    if (SAFE_COLOUR.test(item.color)) { mark.style.color = item.color; }
    return mark;
  }

  data.legend.forEach(function (item) {
    var li = el("li");
    var label = el("label");
    if (item.kind) {
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.setAttribute("data-kind", item.kind);
      box.addEventListener("change", function () { kindOn[item.kind] = box.checked; refresh(); });
      label.appendChild(box);
    }
    label.appendChild(swatch(item));
    label.appendChild(document.createTextNode(item.th + " / " + item.en));
    li.appendChild(label);
    document.getElementById("legend").appendChild(li);
  });
  data.edgeLegend.forEach(function (item) {
    var li = el("li");
    var line = el("span", null, "line");
    line.style.borderTopStyle = item.dashed ? "dashed" : "solid";
    if (SAFE_COLOUR.test(item.color)) { line.style.borderTopColor = item.color; }
    li.appendChild(line);
    li.appendChild(document.createTextNode(item.th + " / " + item.en));
    document.getElementById("edge-legend").appendChild(li);
  });

  function fillSelect(id, options, onChange) {
    var select = document.getElementById(id);
    options.forEach(function (o) {
      var option = el("option", o.label);
      option.value = o.id;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { onChange(select.value); refresh(); });
  }
  fillSelect("agency-filter", data.agencies, function (value) { agencyFilter = value; });
  fillSelect("area-filter", data.areas, function (value) { areaFilter = value; });

  function showDetails(id) {
    var details = document.getElementById("details");
    while (details.firstChild) { details.removeChild(details.firstChild); }
    var n = byId[id];
    if (!n) { return; }
    details.appendChild(rowsBox(n.label, n.info, "node-details"));
    if (n.link && SAFE_LINK.test(n.link)) {
      var a = el("a", "เปิดภาพของพื้นที่นี้ / open this area's view");
      a.href = n.link;
      details.appendChild(a);
    }
  }

  // ---------------------------------------------------------------- drawing
  var network = null;

  function select(id) {
    if (!byId[id]) { return; }
    if (!visible[id]) {
      kindOn = {};
      agencyFilter = areaFilter = "";
      document.getElementById("agency-filter").value = "";
      document.getElementById("area-filter").value = "";
      Array.prototype.forEach.call(document.querySelectorAll("#legend input"), function (b) { b.checked = true; });
      refresh();
    }
    network.selectNodes([id]);
    state.selectedNodeId = id;
    fitView([id].concat(network.getConnectedNodes(id)));
    showDetails(id);
  }
  state.select = select;

  function findMatches(text) {
    var query = normalise(text);
    if (!query) { return []; }
    var found = data.nodes.filter(function (n) { return n.search.indexOf(query) >= 0; });
    found.sort(function (a, b) {
      var exact = (normalise(b.label) === query) - (normalise(a.label) === query);
      return exact || a.label.length - b.label.length || (a.id < b.id ? -1 : 1);
    });
    return found.slice(0, 12);
  }

  function showResults() {
    var list = document.getElementById("results");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var text = document.getElementById("search").value;
    var found = findMatches(text);
    state.notFound = normalise(text) !== "" && found.length === 0;
    if (state.notFound) {
      var none = el("li", "ไม่พบ \u201c" + text.trim() + "\u201d ในภาพนี้ / \u201c" + text.trim() +
                    "\u201d is not in this view. " + data.searchHint, "not-found");
      none.setAttribute("role", "status");
      list.appendChild(none);
    }
    found.forEach(function (n) {
      var li = el("li");
      var button = el("button", n.labelEn ? n.label + " / " + n.labelEn : n.label);
      button.type = "button";
      button.addEventListener("click", function () { select(n.id); list.textContent = ""; });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  var search = document.getElementById("search");
  search.addEventListener("input", showResults);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = findMatches(search.value);
      if (found.length) {
        select(found[0].id);
        document.getElementById("results").textContent = "";
      } else {
        showResults();  // says it is not here, and where to look
      }
    }
  });

  function start() {
    var options = {
      nodes: {font: {face: FONT, size: BASE_FONT, color: LOOK.normal.colour, strokeWidth: LOOK.normal.stroke,
                     strokeColor: "#ffffff"},
              scaling: {label: {drawThreshold: LOOK.normal.otherLabelPx, maxVisible: 2 * LOOK.presentation.labelPx}}},
      edges: {smooth: false, font: {face: FONT}, color: {inherit: false}},
      physics: {enabled: data.physics, stabilization: {iterations: 150}},
      interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: data.edges.length > 1000},
      layout: {improvedLayout: false}
    };
    network = new vis.Network(document.getElementById("network"), {nodes: nodeView, edges: edgeView}, options);
    state.network = network;
    network.on("click", function (params) {
      if (params.nodes.length) { state.selectedNodeId = params.nodes[0]; showDetails(params.nodes[0]); }
    });
    network.on("doubleClick", function (params) {
      var n = params.nodes.length ? byId[params.nodes[0]] : null;
      if (n && n.link && SAFE_LINK.test(n.link)) { window.location.href = n.link; }
    });
    document.getElementById("physics").checked = data.physics;
    document.getElementById("physics").addEventListener("change", function (event) {
      network.setOptions({physics: {enabled: event.target.checked}});
    });
    network.on("zoom", function () { applyLabels(); });
    var toggle = document.getElementById("presentation");
    toggle.addEventListener("click", function () { setPresentation(!state.presentation); });
    setPresentation(/(^|[#&])presentation($|&)/.test(window.location.hash.slice(1)));
    if (data.focus) { select(data.focus); } else { fitView(null); }
    network.once("afterDrawing", function () {
      state.ready = true;
      state.drawnAt = performance.now();
      document.body.setAttribute("data-ready", "1");
    });
  }

  // ---------------------------------------------------------------- labels and zoom
  var fontOf = {};

  function chooseKeys(extra) {
    var keys = byRank.filter(function (n) { return visible[n.id]; }).slice(0, data.nKeyLabels)
      .map(function (n) { return n.id; });
    (extra || []).forEach(function (id) { if (visible[id] && keys.indexOf(id) < 0) { keys.push(id); } });
    state.keyIds = keys;
  }

  var measure = document.createElement("canvas").getContext("2d");

  // Where labels go. Key labels, in rank order, take the first of a few places (below the
  // node, a line lower, above it, two lines lower, …) where they cover no label placed before;
  // then every other label large enough to be drawn keeps its place below its node if that
  // is free, and is hidden if not (it shows again when zooming in makes room).
  // Returns id -> vertical shift in canvas units (vis-network's font.vadjust), or null
  // for a hidden label.
  function placeLabels(look, scale) {
    var placed = [];
    var shifts = {};
    var canvas = document.querySelector("#network canvas");
    var positions = network.getPositions();
    var isFree = function (box) {
      return !placed.some(function (b) {
        return box.left < b.right && b.left < box.right && box.top < b.bottom && b.top < box.bottom;
      });
    };
    var boxAt = function (id, px, shift) {
      var at = network.canvasToDOM(positions[id]);
      measure.font = px + "px " + FONT;
      var width = measure.measureText(byId[id].label).width + 6;
      var radius = (byId[id].size || 8) * scale;
      return {left: at.x - width / 2, right: at.x + width / 2, top: at.y + radius + shift,
              bottom: at.y + radius + shift + px * 1.3, x: at.x, y: at.y, radius: radius};
    };
    state.keyIds.forEach(function (id) {
      var height = look.labelPx * 1.3;
      var first = boxAt(id, look.labelPx, 0);
      var above = -(2 * first.radius + 6);
      var tries = [0, height, above - height, 2 * height, above - 2 * height, 3 * height, above - 3 * height, 4 * height];
      var box = first;
      for (var i = 0; i < tries.length; i += 1) {
        box = boxAt(id, look.labelPx, tries[i]);
        if (isFree(box)) { break; }
      }
      placed.push(box);
      shifts[id] = Math.round((box.top - box.y - box.radius) / scale);
    });
    var otherPx = Math.min(BASE_FONT * scale, 2 * LOOK.presentation.labelPx);
    if (otherPx < look.otherLabelPx - 1) { return shifts; }  // vis-network draws none of them
    var width = canvas ? canvas.clientWidth : 0;
    var height = canvas ? canvas.clientHeight : 0;
    byRank.forEach(function (n) {
      if (!visible[n.id] || shifts.hasOwnProperty(n.id) || !positions[n.id]) { return; }
      var box = boxAt(n.id, otherPx, 0);
      if (box.right < 0 || box.left > width || box.bottom < 0 || box.top > height) { shifts[n.id] = 0; return; }
      if (isFree(box)) { placed.push(box); shifts[n.id] = 0; } else { shifts[n.id] = null; }
    });
    return shifts;
  }

  // The key nodes' font grows as the view zooms out, so that they stay labelPx on screen.
  function applyLabels() {
    var look = state.presentation ? LOOK.presentation : LOOK.normal;
    var scale = network.getScale();
    var keySize = Math.max(BASE_FONT, Math.ceil(look.labelPx / scale));
    var shifts = placeLabels(look, scale);
    var isKey = {};
    state.keyIds.forEach(function (id) { isKey[id] = true; });
    var updates = [];
    data.nodes.forEach(function (n) {
      var shift = shifts.hasOwnProperty(n.id) ? shifts[n.id] : 0;
      // a hidden label gets a font too small for vis-network to draw at this zoom
      var size = isKey[n.id] ? keySize : (shift === null ? 1 : BASE_FONT);
      var key = [size, shift, look.colour, look.stroke].join(" ");
      if (fontOf[n.id] !== key) {
        fontOf[n.id] = key;
        updates.push({id: n.id, font: {size: size, vadjust: shift || 0, color: look.colour, strokeWidth: look.stroke,
                                       strokeColor: "#ffffff"}});
      }
    });
    if (updates.length) { nodes.update(updates); }
    state.scale = scale;
    state.labelPx = look.labelPx;
  }

  // Zoom to ``ids``, else to the key nodes (the most important visible ones), a little
  // further out so that labels at the edge fit, never closer than 1.5. Fitting every node
  // of a hub-and-spoke graph crowds the hubs, and so their names, into the middle.
  function fitView(ids) {
    var shown = (ids || []).filter(function (id) { return visible[id]; });
    chooseKeys(shown.slice(0, 1));
    if (!shown.length) { shown = state.keyIds; }
    var options = {maxZoomLevel: 1.5, animation: false};
    if (shown.length > 1) { options.nodes = shown; }
    network.fit(options);
    network.moveTo({scale: network.getScale() * 0.8, animation: false});
    applyLabels();
  }
  state.fitView = fitView;

  function setPresentation(on) {
    state.presentation = on;
    document.body.classList.toggle("presentation", on);
    var toggle = document.getElementById("presentation");
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    var look = on ? LOOK.presentation : LOOK.normal;
    network.setOptions({nodes: {scaling: {label: {drawThreshold: look.otherLabelPx}}}});
    applyLabels();
  }
  state.setPresentation = setPresentation;

  // Draw once the embedded Thai font is ready: a canvas does not redraw when a font arrives.
  if (document.fonts && document.fonts.load) {
    document.fonts.load("14px Sarabun").then(start, start);
  } else {
    start();
  }
}());
