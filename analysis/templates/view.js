// stakemap network view. Every string from the data reaches the page through textContent,
// DOM properties or the canvas: never innerHTML, so a hostile name stays text.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("stakemap-data").textContent);
  var state = window.stakemapView = {
    ready: false, nodeCount: data.nodes.length, edgeCount: data.edges.length,
    visibleCount: data.nodes.length, selectedNodeId: null, errors: []
  };
  window.addEventListener("error", function (event) { state.errors.push(String(event.message)); });
  document.body.setAttribute("data-node-count", String(data.nodes.length));

  var SAFE_LINK = /^[A-Za-z0-9_.-]+\.html$/;
  var PROFILE_LINK = /^\.\.\/profiles\/[0-9]{6}\.html$/;
  var SAFE_COLOUR = /^#[0-9a-fA-F]{6}$/;
  var FONT = "Sarabun, Tahoma, 'TH Sarabun New', 'Noto Sans Thai', sans-serif";
  var SHAPES = {dot: "\u25cf", square: "\u25a0", triangle: "\u25b2", diamond: "\u25c6", hexagon: "\u2b22"};
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
  var edgeView = new vis.DataView(edges, {filter: function (e) { return visible[e.from] === true && visible[e.to] === true; }});

  function refresh() {
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
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
    if (n.profile && PROFILE_LINK.test(n.profile)) {
      var p = el("a", "โปรไฟล์ตำบล / tambon profile");
      p.href = n.profile;
      p.id = "profile-link";
      details.appendChild(p);
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
    network.focus(id, {scale: 1.3, animation: false});
    state.selectedNodeId = id;
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
    findMatches(document.getElementById("search").value).forEach(function (n) {
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
      if (found.length) { select(found[0].id); }
      document.getElementById("results").textContent = "";
    }
  });

  function start() {
    var options = {
      nodes: {font: {face: FONT, size: 14, strokeWidth: 3, strokeColor: "#ffffff"}},
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
    network.once("afterDrawing", function () {
      state.ready = true;
      state.drawnAt = performance.now();
      document.body.setAttribute("data-ready", "1");
    });
    if (data.focus) { select(data.focus); }
  }

  // Draw once the embedded Thai font is ready: a canvas does not redraw when a font arrives.
  if (document.fonts && document.fonts.load) {
    document.fonts.load("14px Sarabun").then(start, start);
  } else {
    start();
  }
}());
