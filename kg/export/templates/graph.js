/* kg graph explorer. Data: #kg-data (see kg/export/html.py). Every string from the
   graph reaches the page through textContent or vis-network's canvas, never as HTML. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var TYPES = D.types, RELS = D.rels, NODES = D.nodes, EDGES = D.edges, SENT = D.sentences;
  var MENTION = D.mentionRel;
  // node array fields
  var T = 0, LABEL = 1, MENTIONS = 2, X = 3, Y = 4, ALIASES = 5, FACTS = 6, SOURCES = 7, NSOURCES = 8;
  var n = NODES.length;
  var adj = new Array(n);
  for (var i = 0; i < n; i++) adj[i] = [];
  for (var k = 0; k < EDGES.length; k++) {
    adj[EDGES[k][0]].push(k);
    adj[EDGES[k][1]].push(k);
  }
  var rank = new Int32Array(n).fill(n);
  D.overview.forEach(function (v, r) { rank[v] = r; });

  var shownTypes = TYPES.map(function () { return true; });
  var showMentions = true;
  var current = { view: "overview", ids: [] };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function short(s) { return s.length > 12 ? s.slice(0, 11) + "…" : s; }
  function size(m) { return Math.min(10 + 5 * Math.log2(1 + m), 34); }
  function typeName(i) { return TYPES[NODES[i][T]][1]; }
  function edgeWord(e) { return e[3] || RELS[e[2]]; }

  function visNode(i, x, y) {
    var d = NODES[i], t = TYPES[d[T]];
    return {
      id: i, label: short(d[LABEL]), shape: t[3], size: size(d[MENTIONS]), x: x, y: y,
      color: { background: t[2], border: t[2], highlight: { background: t[2], border: "#222" },
               hover: { background: t[2], border: "#222" } },
      typeIndex: d[T]
    };
  }
  function visEdge(k) {
    var e = EDGES[k];
    if (e[2] === MENTION) return { id: k, from: e[0], to: e[1], mention: true };
    return { id: k, from: e[0], to: e[1], label: edgeWord(e), color: STRONG };
  }
  /* Tooltips: our own box, filled with textContent (vis.js titles are not used). */
  var tip = el("div", null, "tip");
  document.getElementById("net").appendChild(tip);
  function nodeTip(i) {
    var d = NODES[i];
    return d[LABEL] + "\n" + typeName(i) + " · 提及 " + d[MENTIONS] + " 次" +
      (d[ALIASES].length ? "\n别名：" + d[ALIASES].join("、") : "");
  }
  function edgeTip(k) {
    var e = EDGES[k];
    var text = RELS[e[2]] + (e[3] ? "：" + e[3] : "") + "\n" + NODES[e[0]][LABEL] + " → " + NODES[e[1]][LABEL];
    return e[4] >= 0 ? text + "\n出处：" + SENT[e[4]][0] : text;
  }
  function showTip(text, p) {
    tip.textContent = text;
    tip.style.left = Math.round(p.x + 14) + "px";
    tip.style.top = Math.round(p.y + 14) + "px";
    tip.style.display = "block";
  }
  function hideTip() { tip.style.display = "none"; }

  var STRONG = { color: "#8a96a8", highlight: "#333", hover: "#333" };
  var nodes, edges, nodeView, edgeView;
  function typeShown(v) { return shownTypes[v.typeIndex]; }
  function edgeShown(v) { return showMentions || !v.mention; }
  var big = n > 1000;
  var FONT = "WenQuanYi Zen Hei, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif";
  var options = {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hover: true, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false },
    nodes: { borderWidth: 1, font: { size: 14, color: "#222", strokeWidth: 3, strokeColor: "#fff", face: FONT } },
    edges: { smooth: false, width: 1, selectionWidth: 2, arrows: { to: { enabled: true, scaleFactor: 0.45 } },
             color: { color: "#d3d8e0", highlight: "#555", hover: "#555" },
             font: { size: 10, color: "#555", strokeWidth: 3, strokeColor: "#fff", align: "middle", face: FONT } }
  };
  var container = document.getElementById("net");
  var network = null;

  function edgesAmong(ids) {
    var mask = new Uint8Array(n), out = [];
    ids.forEach(function (i) { mask[i] = 1; });
    ids.forEach(function (i) {
      adj[i].forEach(function (k) {
        var e = EDGES[k];
        if (e[0] === i && mask[e[1]]) out.push(visEdge(k));
      });
    });
    return out;
  }
  function show(view, ids, pos, extra) {
    current = Object.assign({ view: view, ids: ids }, extra || {});
    var t0 = performance.now();
    nodes = new vis.DataSet(ids.map(function (i) { var p = pos ? pos[i] : null; return visNode(i, p ? p[0] : NODES[i][X], p ? p[1] : NODES[i][Y]); }));
    edges = new vis.DataSet(edgesAmong(ids));
    nodeView = new vis.DataView(nodes, { filter: typeShown });
    edgeView = new vis.DataView(edges, { filter: edgeShown });
    var t1 = performance.now();
    if (network === null) network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
    else network.setData({ nodes: nodeView, edges: edgeView });
    var t2 = performance.now();
    network.fit({ animation: false });
    window.kgTiming = { data: t1 - t0, network: t2 - t1, fit: performance.now() - t2 };
    status();
  }
  function status(extra) {
    var shown = nodeView.length, text;
    if (current.view === "overview") {
      text = "概览：提及最多的 " + current.ids.length + " 个节点（共 " + n + " 个）；搜索或双击节点查看其余部分";
    } else if (current.view === "all") {
      text = "全部 " + n + " 个节点";
    } else {
      text = "聚焦：" + NODES[current.focus][LABEL] + " 的 " + current.depth + " 步邻域，" + current.ids.length + " 个节点";
    }
    if (shown !== current.ids.length) text += "（筛选后显示 " + shown + " 个）";
    document.getElementById("status").textContent = text + (extra ? " · " + extra : "");
    legend();
  }

  function showOverview() { show("overview", D.overview.slice()); }
  function showAll() {
    var ids = [];
    for (var i = 0; i < n; i++) ids.push(i);
    show("all", ids);
  }
  /* One entity and its neighbours up to `depth` steps (at most 400 nodes, the most
     mentioned first), on rings around it: positions computed here, no physics. */
  function focus(i, depth) {
    depth = depth || +document.getElementById("depth").value || 1;
    var limit = 400, level = new Map([[i, 0]]), frontier = [i], rings = [[i]];
    for (var d = 1; d <= depth && level.size < limit; d++) {
      var next = [];
      frontier.forEach(function (v) {
        adj[v].forEach(function (k) {
          var e = EDGES[k], w = e[0] === v ? e[1] : e[0];
          if (!level.has(w)) { level.set(w, d); next.push(w); }
        });
      });
      next.forEach(function (w) { level.delete(w); });
      next.sort(function (a, b) { return NODES[b][MENTIONS] - NODES[a][MENTIONS] || a - b; });
      next = next.slice(0, limit - level.size);
      next.forEach(function (w) { level.set(w, d); });
      rings.push(next);
      frontier = next;
    }
    var pos = {}, radius = 0;
    pos[i] = [0, 0];
    for (var r = 1; r < rings.length; r++) {
      var ring = rings[r];
      ring.sort(function (a, b) { return NODES[a][T] - NODES[b][T] || NODES[b][MENTIONS] - NODES[a][MENTIONS] || a - b; });
      radius = Math.max(radius + 220, ring.length * 70 / (2 * Math.PI));
      ring.forEach(function (w, j) {
        var a = 2 * Math.PI * j / ring.length + (r - 1) * 0.3;
        pos[w] = [Math.round(radius * Math.cos(a)), Math.round(radius * Math.sin(a))];
      });
    }
    show("focus", Array.from(level.keys()), pos, { focus: i, depth: depth });
    network.selectNodes([i]);
    details(i);
  }

  function legend() {
    var box = document.getElementById("legend");
    box.textContent = "";
    box.appendChild(el("div", "图例 · 筛选", "title"));
    var here = TYPES.map(function () { return 0; }), all = TYPES.map(function () { return 0; });
    NODES.forEach(function (d) { all[d[T]]++; });
    current.ids.forEach(function (i) { here[NODES[i][T]]++; });
    TYPES.forEach(function (t, ti) {
      if (!all[ti]) return;
      var label = el("label");
      var box2 = el("input");
      box2.type = "checkbox";
      box2.checked = shownTypes[ti];
      box2.dataset.type = t[0];
      box2.addEventListener("change", function () { shownTypes[ti] = box2.checked; nodeView.refresh(); status(); });
      var sym = el("span", t[4], "sym");
      sym.style.color = t[2];
      label.appendChild(box2);
      label.appendChild(sym);
      label.appendChild(document.createTextNode(t[1] + " "));
      label.appendChild(el("span", here[ti] + " / " + all[ti], "n"));
      box.appendChild(label);
    });
  }

  function link(i) {
    var b = el("a", NODES[i][LABEL], "link");
    b.setAttribute("role", "button");
    b.tabIndex = 0;
    b.title = typeName(i) + " · 单击查看，双击聚焦";
    b.addEventListener("click", function () { reveal(i); });
    b.addEventListener("dblclick", function () { focus(i); });
    b.addEventListener("keydown", function (ev) { if (ev.key === "Enter") reveal(i); });
    return b;
  }
  /* Select a node where it is drawn; focus on it when the current view lacks it. */
  function reveal(i) {
    if (nodes.get(i) && shownTypes[NODES[i][T]]) {
      network.selectNodes([i]);
      network.focus(i, { scale: Math.max(network.getScale(), 0.8), animation: false });
      details(i);
    } else {
      focus(i);
    }
  }

  function details(i) {
    var d = NODES[i], box = document.getElementById("details");
    box.textContent = "";
    box.appendChild(el("h2", d[LABEL]));
    box.appendChild(el("div", typeName(i) + " · 提及 " + d[MENTIONS] + " 次", "meta"));
    var fb = el("a", "聚焦邻域", "link");
    fb.setAttribute("role", "button");
    fb.tabIndex = 0;
    fb.addEventListener("click", function () { focus(i); });
    box.appendChild(fb);
    if (d[ALIASES].length) {
      box.appendChild(el("h3", "别名"));
      box.appendChild(el("div", d[ALIASES].join("、")));
    }
    if (d[FACTS].length) {
      box.appendChild(el("h3", "属性"));
      var dl = el("dl");
      d[FACTS].forEach(function (f) { dl.appendChild(el("dt", f[0])); dl.appendChild(el("dd", f[1])); });
      box.appendChild(dl);
    }
    var rels = adj[i].slice().sort(function (a, b) { return EDGES[a][2] - EDGES[b][2] || a - b; });
    if (rels.length) {
      box.appendChild(el("h3", "关系（" + rels.length + "）"));
      var ul = el("ul");
      rels.slice(0, 60).forEach(function (k) {
        var e = EDGES[k], out = e[0] === i, li = el("li");
        li.appendChild(el("span", (out ? "→ " : "← ") + edgeWord(e), "rel"));
        li.appendChild(link(out ? e[1] : e[0]));
        if (e[4] >= 0) li.title = "出处：" + SENT[e[4]][0];
        ul.appendChild(li);
      });
      if (rels.length > 60) ul.appendChild(el("li", "……另有 " + (rels.length - 60) + " 条"));
      box.appendChild(ul);
    }
    if (d[SOURCES].length) {
      box.appendChild(el("h3", "出处（" + d[NSOURCES] + " 句" + (d[NSOURCES] > d[SOURCES].length ? "，显示前 " + d[SOURCES].length + " 句" : "") + "）"));
      d[SOURCES].forEach(function (s) {
        var sent = SENT[s];
        box.appendChild(el("blockquote", sent[0]));
        if (sent[1] >= 0) {
          var src = el("div", "—— ", "src");
          src.appendChild(link(sent[1]));
          box.appendChild(src);
        }
      });
    }
  }

  // search over every node, not only the drawn ones
  var search = document.getElementById("search"), results = document.getElementById("results");
  var hay = NODES.map(function (d) { return [d[LABEL]].concat(d[ALIASES]).join("\u0001").toLowerCase(); });
  function find(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var hits = [];
    for (var i = 0; i < n; i++) {
      var at = hay[i].indexOf(q);
      if (at >= 0) hits.push([NODES[i][LABEL].toLowerCase() === q ? 0 : at === 0 ? 1 : 2, -NODES[i][MENTIONS], i]);
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return hits.slice(0, 30).map(function (h) { return h[2]; });
  }
  function listResults() {
    var hits = find(search.value);
    results.textContent = "";
    hits.forEach(function (i) {
      var li = el("li"), b = el("a", NODES[i][LABEL] + "（" + typeName(i) + "）", "link");
      b.setAttribute("role", "button");
      b.tabIndex = 0;
      b.addEventListener("click", function () { focus(i); });
      b.addEventListener("keydown", function (ev) { if (ev.key === "Enter") focus(i); });
      li.appendChild(b);
      results.appendChild(li);
    });
    if (search.value.trim() && !hits.length) results.appendChild(el("li", "没有匹配的节点", "hint"));
    return hits;
  }
  search.addEventListener("input", listResults);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var hits = listResults(); if (hits.length) focus(hits[0]); }
  });

  function attach() {
    network.on("click", function (p) { if (p.nodes.length) details(p.nodes[0]); });
    network.on("doubleClick", function (p) { if (p.nodes.length) focus(p.nodes[0]); });
    network.on("hoverNode", function (p) { showTip(nodeTip(p.node), p.pointer.DOM); });
    network.on("hoverEdge", function (p) { showTip(edgeTip(p.edge), p.pointer.DOM); });
    network.on("blurNode", hideTip);
    network.on("blurEdge", hideTip);
    network.on("dragStart", hideTip);
    network.on("zoom", hideTip);
  }
  document.getElementById("btn-overview").addEventListener("click", showOverview);
  var allButton = document.getElementById("btn-all");
  if (D.showAll) allButton.addEventListener("click", showAll);
  else { allButton.disabled = true; allButton.title = "节点太多，请用搜索和聚焦"; }
  document.getElementById("show-mentions").addEventListener("change", function (ev) {
    showMentions = ev.target.checked; edgeView.refresh(); status();
  });

  // first view: #all, #focus=<name>, or the overview
  var hash = decodeURIComponent(location.hash.slice(1));
  if (hash === "all" && D.showAll) showAll();
  else if (hash.indexOf("focus=") === 0 && find(hash.slice(6)).length) focus(find(hash.slice(6))[0]);
  else showOverview();
  attach();
  window.kg = {
    focus: focus, overview: showOverview, all: showAll, find: find, details: details, reveal: reveal,
    shown: function () { return nodeView.getIds(); },
    shownEdges: function () { return edgeView.getIds(); },
    view: function () { return current.view; },
    network: network
  };
  // ready: once the first view is drawn in full (a synchronous redraw) with its handlers on
  network.once("afterDrawing", function () {
    document.getElementById("loading").style.display = "none";
    window.kgReady = { ms: performance.now(), nodes: nodeView.length, edges: edgeView.length, view: current.view, total: n };
    document.documentElement.setAttribute("data-kg-ready", "1");
  });
  network.redraw();
})();
