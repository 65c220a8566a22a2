/* datajourney lineage explorer: layered left to right (longest-path layers, barycentre
   ordering), drawn as SVG. Data comes from the page's JSON twin (/lineage/<kind>/<id>.json).
   Long chains are collapsed and at most MAX_VISIBLE nodes are drawn at once. */
(function () {
  "use strict";
  var NODE_W = 176, NODE_H = 46, GAP_X = 64, GAP_Y = 18;
  var CHAIN_MIN = 6;        // chains of this many pass-through nodes or more are collapsed
  var CHAIN_REVEAL = 8;     // nodes shown at each end per click on a collapsed chain
  var FAN_SHOW = 12;        // neighbours shown on one side of a node (more per click)
  var MAX_VISIBLE = 300;    // never draw more nodes than this
  var SVG_NS = "http://www.w3.org/2000/svg";

  var initial = JSON.parse(document.getElementById("lineage-data").textContent);
  var svg = document.getElementById("lineage-svg");
  var panel = document.getElementById("panel");
  var status = document.getElementById("graph-status");
  var state = {
    nodes: new Map(), edges: new Map(), focus: initial.focus, depth: initial.depth,
    direction: initial.direction, expanded: new Set(), revealed: new Map(), pinned: new Set(),
    selected: null, path: new Set(), pathEdges: new Set(), frontier: new Set(),
    view: { x: 0, y: 0, k: 1 }, layout: null
  };

  function merge(graph) {
    graph.nodes.forEach(function (n) { if (!state.nodes.has(n.key)) state.nodes.set(n.key, n); });
    graph.edges.forEach(function (e) {
      var key = e.source + ">" + e.target;
      if (!state.edges.has(key)) state.edges.set(key, e);
    });
  }

  function adjacency() {
    var out = new Map(), inn = new Map();
    state.nodes.forEach(function (_, k) { out.set(k, []); inn.set(k, []); });
    state.edges.forEach(function (e) {
      if (out.has(e.source) && inn.has(e.target)) {
        out.get(e.source).push(e.target); inn.get(e.target).push(e.source);
      }
    });
    return { out: out, inn: inn };
  }

  /* Frontier: nodes at the fetched depth whose neighbours were not all fetched. */
  function computeFrontier(adj) {
    state.frontier = new Set();
    if (state.depth === null || state.depth === undefined) return;
    var dist = new Map([[state.focus, 0]]), queue = [state.focus];
    while (queue.length) {
      var k = queue.shift(), d = dist.get(k);
      adj.out.get(k).concat(adj.inn.get(k)).forEach(function (m) {
        if (!dist.has(m)) { dist.set(m, d + 1); queue.push(m); }
      });
    }
    dist.forEach(function (d, k) {
      if (d >= state.depth && !state.expanded.has(k)) state.frontier.add(k);
    });
  }

  /* The graph to draw: long pass-through chains replaced by one placeholder each, then cut
     to MAX_VISIBLE nodes nearest the focus. */
  function visibleGraph(adj) {
    var keep = new Set([state.focus, state.selected].concat(Array.from(state.pinned)));
    state.path.forEach(function (k) { keep.add(k); });
    function passThrough(k) {
      return !keep.has(k) && adj.inn.get(k).length === 1 && adj.out.get(k).length === 1;
    }
    var hiddenBy = new Map(), placeholders = new Map(), seen = new Set();
    // Wide fans first: past FAN_SHOW neighbours on one side, the rest (and whatever hangs only
    // from them on that side) become one "N more" node.
    state.nodes.forEach(function (_, k) {
      if (hiddenBy.has(k)) return;
      [["out", adj.out, adj.inn], ["in", adj.inn, adj.out]].forEach(function (side) {
        var members = side[1].get(k).filter(function (m) { return !keep.has(m) && !hiddenBy.has(m); });
        var id = "fan:" + k + ":" + side[0];
        var shown = FAN_SHOW * (1 + (state.revealed.get(id) || 0));
        if (members.length <= shown + 1) return;
        var hidden = members.slice(shown), queue = hidden.slice();
        hidden.forEach(function (m) { hiddenBy.set(m, id); });
        while (queue.length) {   // what hangs only from hidden nodes goes with them
          side[1].get(queue.shift()).forEach(function (m) {
            if (keep.has(m) || hiddenBy.has(m)) return;
            if (side[2].get(m).every(function (b) { return hiddenBy.get(b) === id; })) {
              hiddenBy.set(m, id); queue.push(m);
            }
          });
        }
        var count = 0; hiddenBy.forEach(function (v) { if (v === id) count++; });
        placeholders.set(id, { key: id, kind: "chain", fan: true, count: hidden.length, total: count });
      });
    });
    state.nodes.forEach(function (_, k) {
      if (seen.has(k) || hiddenBy.has(k) || !passThrough(k)) return;
      var start = k;   // walk to the chain's first node
      while (passThrough(adj.inn.get(start)[0]) && !hiddenBy.has(adj.inn.get(start)[0]) &&
             adj.inn.get(start)[0] !== k) start = adj.inn.get(start)[0];
      var chain = [start], cur = start;
      seen.add(start);
      while (true) {
        var next = adj.out.get(cur)[0];
        if (!passThrough(next) || seen.has(next) || hiddenBy.has(next)) break;
        chain.push(next); seen.add(next); cur = next;
      }
      if (chain.length < CHAIN_MIN) return;
      var id = "chain:" + chain[0];
      var shown = 1 + CHAIN_REVEAL * (state.revealed.get(id) || 0);
      if (2 * shown >= chain.length) return;
      var hidden = chain.slice(shown, chain.length - shown);
      hidden.forEach(function (h) { hiddenBy.set(h, id); });
      placeholders.set(id, {
        key: id, kind: "chain", count: hidden.length, first: hidden[0],
        last: hidden[hidden.length - 1], before: chain[shown - 1], after: chain[chain.length - shown]
      });
    });
    var nodes = new Map(), edges = [];
    state.nodes.forEach(function (n, k) { if (!hiddenBy.has(k)) nodes.set(k, n); });
    placeholders.forEach(function (p, id) { nodes.set(id, p); });
    state.edges.forEach(function (e, key) {
      var s = hiddenBy.get(e.source) || e.source, t = hiddenBy.get(e.target) || e.target;
      if (s === t || !nodes.has(s) || !nodes.has(t)) return;
      edges.push({ source: s, target: t, key: key, type: e.type });
    });
    var total = nodes.size;
    if (total > MAX_VISIBLE) {     // keep the nodes nearest the focus (and the kept ones)
      var near = new Map(); edges.forEach(function (e) {
        if (!near.has(e.source)) near.set(e.source, []); if (!near.has(e.target)) near.set(e.target, []);
        near.get(e.source).push(e.target); near.get(e.target).push(e.source);
      });
      var chosen = new Set(Array.from(keep).filter(function (k) { return nodes.has(k); }));
      var queue = Array.from(chosen);
      while (queue.length && chosen.size < MAX_VISIBLE) {
        (near.get(queue.shift()) || []).forEach(function (m) {
          if (!chosen.has(m) && chosen.size < MAX_VISIBLE) { chosen.add(m); queue.push(m); }
        });
      }
      var cut = new Map();
      edges.forEach(function (e) {
        var a = chosen.has(e.source), b = chosen.has(e.target);
        if (a !== b) { var k = a ? e.source : e.target; cut.set(k, (cut.get(k) || 0) + 1); }
      });
      nodes.forEach(function (_, k) { if (!chosen.has(k)) nodes.delete(k); });
      edges = edges.filter(function (e) { return chosen.has(e.source) && chosen.has(e.target); });
      cut.forEach(function (n, k) { nodes.set(k, Object.assign({}, nodes.get(k), { cut: n })); });
    }
    return { nodes: nodes, edges: edges, hiddenBy: hiddenBy, total: total, all: state.nodes.size };
  }

  /* Longest-path layers, sources pulled towards their successors, then barycentre sweeps. */
  function layout(g) {
    var out = new Map(), inn = new Map();
    g.nodes.forEach(function (_, k) { out.set(k, []); inn.set(k, []); });
    g.edges.forEach(function (e) { out.get(e.source).push(e.target); inn.get(e.target).push(e.source); });
    var indeg = new Map(), layer = new Map(), order = [];
    g.nodes.forEach(function (_, k) { indeg.set(k, inn.get(k).length); });
    var queue = [];
    g.nodes.forEach(function (_, k) { if (!indeg.get(k)) { queue.push(k); layer.set(k, 0); } });
    while (queue.length) {
      var k = queue.shift(); order.push(k);
      out.get(k).forEach(function (m) {
        layer.set(m, Math.max(layer.get(m) || 0, layer.get(k) + 1));
        indeg.set(m, indeg.get(m) - 1);
        if (!indeg.get(m)) queue.push(m);
      });
    }
    var top = 0; layer.forEach(function (l) { top = Math.max(top, l); });
    g.nodes.forEach(function (_, k) { if (!layer.has(k)) { layer.set(k, top + 1); order.push(k); } }); // cycles
    for (var i = order.length - 1; i >= 0; i--) {       // sources next to what they feed
      var k2 = order[i];
      if (inn.get(k2).length === 0 && out.get(k2).length) {
        var least = Infinity;
        out.get(k2).forEach(function (m) { least = Math.min(least, layer.get(m)); });
        layer.set(k2, least - 1);
      }
    }
    var layers = [], low = Infinity;
    layer.forEach(function (l) { low = Math.min(low, l); });
    order.forEach(function (k) {
      var l = layer.get(k) - low; layer.set(k, l);
      (layers[l] = layers[l] || []).push(k);
    });
    for (var j = 0; j < layers.length; j++) layers[j] = layers[j] || [];
    var pos = new Map();
    function number() { layers.forEach(function (ks) { ks.forEach(function (k, n) { pos.set(k, n); }); }); }
    number();
    function sweep(ks, neighbours) {
      var bary = new Map();
      ks.forEach(function (k) {
        var ns = neighbours.get(k);
        if (!ns.length) { bary.set(k, pos.get(k)); return; }
        var sum = 0; ns.forEach(function (m) { sum += pos.get(m) / Math.max(1, layers[layer.get(m)].length); });
        bary.set(k, (sum / ns.length) * ks.length);
      });
      ks.sort(function (a, b) { return bary.get(a) - bary.get(b) || pos.get(a) - pos.get(b); });
      ks.forEach(function (k, n) { pos.set(k, n); });
    }
    for (var pass = 0; pass < 6; pass++) {
      for (var d = 1; d < layers.length; d++) sweep(layers[d], inn);
      for (var u = layers.length - 2; u >= 0; u--) sweep(layers[u], out);
    }
    var tallest = 0; layers.forEach(function (ks) { tallest = Math.max(tallest, ks.length); });
    var xy = new Map();
    layers.forEach(function (ks, l) {
      var offset = (tallest - ks.length) * (NODE_H + GAP_Y) / 2;
      ks.forEach(function (k, n) { xy.set(k, { x: l * (NODE_W + GAP_X), y: offset + n * (NODE_H + GAP_Y) }); });
    });
    return { xy: xy, width: layers.length * (NODE_W + GAP_X) - GAP_X, height: tallest * (NODE_H + GAP_Y) - GAP_Y };
  }

  function isGroup(key) { return key.indexOf("chain:") === 0 || key.indexOf("fan:") === 0; }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    for (var a in attrs) node.setAttribute(a, attrs[a]);
    if (parent) parent.appendChild(node);
    return node;
  }
  function shortText(s, n) { s = String(s || ""); return s.length > n ? s.slice(0, n - 1) + "…" : s; }
  function baseName(uri) {   // the file's name; "statistics/2" where the last step is a number
    if (!uri) return "";
    var p = uri.replace(/\/+$/, "").split("/"), last = p[p.length - 1];
    return /^\d+$/.test(last) && p.length > 1 ? p[p.length - 2] + "/" + last : last;
  }

  function draw() {
    var adj = adjacency();
    computeFrontier(adj);
    var g = visibleGraph(adj);
    var lay = layout(g);
    state.layout = { graph: g, lay: lay };
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var defs = el("defs", {}, svg);
    [["arrow", "#9aa5b1"], ["arrow-hl", "#e8590c"]].forEach(function (m) {
      var marker = el("marker", { id: m[0], viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
      el("path", { d: "M0,0 L10,5 L0,10 z", fill: m[1] }, marker);
    });
    var root = el("g", { id: "viewport" }, svg);
    var edgeLayer = el("g", { "class": "edges" }, root);
    var nodeLayer = el("g", { "class": "nodes" }, root);
    g.edges.forEach(function (e) {
      var a = lay.xy.get(e.source), b = lay.xy.get(e.target);
      var x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2, x2 = b.x, y2 = b.y + NODE_H / 2, mid = (x1 + x2) / 2;
      var hl = state.pathEdges.has(e.source + ">" + e.target);
      el("path", {
        d: "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + "," + y2,
        "class": "edge" + (hl ? " hl" : ""), "marker-end": hl ? "url(#arrow-hl)" : "url(#arrow)",
        "data-source": e.source, "data-target": e.target
      }, edgeLayer);
    });
    g.nodes.forEach(function (n, k) {
      var p = lay.xy.get(k);
      var cls = "node " + n.kind;
      if (k === state.focus) cls += " focus";
      if (k === state.selected) cls += " selected";
      if (state.path.has(k)) cls += " hl";
      if (n.state) cls += " state-" + String(n.state).toLowerCase();
      var group = el("g", { "class": cls, transform: "translate(" + p.x + "," + p.y + ")", "data-key": k, "data-type": n.type || "" }, nodeLayer);
      if (n.kind === "chain") {
        el("rect", { width: NODE_W, height: NODE_H, rx: 8, "class": "box" }, group);
        var t0 = el("text", { x: NODE_W / 2, y: 20, "text-anchor": "middle", "class": "title" }, group);
        t0.textContent = "⋯ " + n.count + (n.fan ? " more" : " more steps");
        var t1 = el("text", { x: NODE_W / 2, y: 36, "text-anchor": "middle", "class": "sub" }, group);
        t1.textContent = n.fan && n.total > n.count ? n.total + " nodes · click to show more" : "click to show more";
      } else {
        el("rect", { width: NODE_W, height: NODE_H, rx: n.kind === "execution" ? 22 : 5, "class": "box" }, group);
        el("rect", { width: 6, height: NODE_H, rx: 3, "class": "stripe" }, group);
        var title = el("text", { x: 14, y: 19, "class": "title" }, group);
        title.textContent = shortText(n.type, 19) + " #" + n.id;
        var sub = el("text", { x: 14, y: 36, "class": "sub" }, group);
        sub.textContent = shortText(n.name || baseName(n.uri) || (n.state || "").toLowerCase(), 26);
        var badge = n.cut ? "+" + n.cut : (state.frontier.has(k) ? "+" : "");
        if (badge) {
          var b = el("g", { "class": "more", transform: "translate(" + (NODE_W - 4) + ",-4)" }, group);
          el("circle", { r: 9 }, b);
          var bt = el("text", { "text-anchor": "middle", y: 4 }, b);
          bt.textContent = badge;
          el("title", {}, b).textContent = n.cut ? n.cut + " neighbours not drawn" : "more lineage: double-click to expand";
        }
        el("title", {}, group).textContent = (n.type || "") + " #" + n.id + (n.uri ? "\n" + n.uri : "") + (n.state ? "\n" + n.state : "");
      }
    });
    var shown = g.nodes.size;
    status.textContent = shown + " shown of " + g.all + " loaded" + (g.total > MAX_VISIBLE ? " (drawing the " + MAX_VISIBLE + " nearest)" : "");
    applyView();
  }

  function applyView() {
    var vp = document.getElementById("viewport");
    if (vp) vp.setAttribute("transform", "translate(" + state.view.x + "," + state.view.y + ") scale(" + state.view.k + ")");
  }

  function fit() {
    if (!state.layout) return;
    var box = svg.getBoundingClientRect(), lay = state.layout.lay, pad = 24;
    var k = Math.min(1.1, (box.width - 2 * pad) / Math.max(1, lay.width), (box.height - 2 * pad) / Math.max(1, lay.height));
    k = Math.max(k, 0.2);
    state.view = { k: k, x: (box.width - lay.width * k) / 2, y: Math.max(pad, (box.height - lay.height * k) / 2) };
    applyView();
  }

  function twin(key, direction, depth) {
    var parts = key.split(":");
    var q = "direction=" + encodeURIComponent(direction) + "&depth=" + (depth === null ? "all" : depth);
    return fetch("/lineage/" + parts[0] + "/" + parts[1] + ".json?" + q, { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) return r.json().then(function (b) { throw new Error((b.error && b.error.message) || r.statusText); });
        return r.json();
      });
  }

  function expand(key) {
    status.textContent = "loading…";
    return twin(key, "both", 1).then(function (graph) {
      merge(graph); state.expanded.add(key); state.pinned.add(key);
      graph.nodes.forEach(function (n) { state.pinned.add(n.key); });
      draw(); fit(); select(key);
    }).catch(function (e) { status.textContent = "could not expand: " + e.message; });
  }

  /* Shortest path from a to b: along the data flow if there is one, else either way. */
  function shortestPath(a, b) {
    var adj = adjacency();
    function bfs(next) {
      var prev = new Map([[a, null]]), queue = [a];
      while (queue.length) {
        var k = queue.shift();
        if (k === b) break;
        next(k).forEach(function (m) { if (!prev.has(m)) { prev.set(m, k); queue.push(m); } });
      }
      if (!prev.has(b)) return null;
      var path = [], cur = b; while (cur !== null) { path.unshift(cur); cur = prev.get(cur); }
      return path;
    }
    return bfs(function (k) { return adj.out.get(k); }) || bfs(function (k) { return adj.inn.get(k); }) ||
      bfs(function (k) { return adj.out.get(k).concat(adj.inn.get(k)); });
  }

  function highlight(path) {
    state.path = new Set(path || []); state.pathEdges = new Set();
    for (var i = 0; path && i + 1 < path.length; i++) {
      state.pathEdges.add(path[i] + ">" + path[i + 1]); state.pathEdges.add(path[i + 1] + ">" + path[i]);
    }
    draw();
  }

  /* Fetch everything upstream of a node, then list its raw inputs: artifacts nothing made from
     other data (never produced, or produced by a step that read nothing, such as an ingestion
     into the lake). */
  function traceSources(key) {
    status.textContent = "tracing…";
    return twin(key, "upstream", null).then(function (graph) {
      merge(graph);
      var reads = new Set(graph.edges.filter(function (e) { return e.target.indexOf("execution:") === 0; }).map(function (e) { return e.target; }));
      var made = new Set(graph.edges.filter(function (e) { return e.source.indexOf("execution:") === 0 && reads.has(e.source); }).map(function (e) { return e.target; }));
      var sources = graph.nodes.filter(function (n) { return n.kind === "artifact" && !made.has(n.key) && n.key !== key; });
      draw(); fit(); select(key, sources);
    }).catch(function (e) { status.textContent = "could not trace: " + e.message; });
  }

  var FILE_PAGES = { ExampleStatistics: "statistics", Schema: "schema", ExampleAnomalies: "anomalies" };
  function esc(s) { return String(s === null || s === undefined ? "" : s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }

  function select(key, sources) {
    state.selected = key;
    var n = state.nodes.get(key);
    svg.querySelectorAll(".node.selected").forEach(function (g) { g.classList.remove("selected"); });
    var g = svg.querySelector('.node[data-key="' + key + '"]');
    if (g) g.classList.add("selected");
    if (!n) { panel.innerHTML = '<p class="muted">Select a node.</p>'; return; }
    var page = "/" + n.kind + "s/" + n.id, html = [];
    html.push('<h2><span class="kind">' + esc(n.kind) + "</span> " + esc(n.type) + " #" + n.id + "</h2>");
    if (n.name) html.push("<p><b>" + esc(n.name) + "</b></p>");
    if (n.uri) html.push('<p class="uri"><code>' + esc(n.uri) + "</code></p>");
    if (n.state) html.push('<p><span class="state state-' + esc(String(n.state).toLowerCase()) + '">' + esc(n.state) + "</span></p>");
    html.push('<div class="panel-actions">');
    html.push('<a class="btn" id="panel-open" href="' + page + '">Open record</a>');
    if (FILE_PAGES[n.type]) html.push('<a class="btn" id="panel-' + FILE_PAGES[n.type] + '" href="' + page + "/" + FILE_PAGES[n.type] + '">' + FILE_PAGES[n.type].charAt(0).toUpperCase() + FILE_PAGES[n.type].slice(1) + "</a>");
    html.push('<button type="button" id="panel-expand" class="plain">Expand neighbours</button>');
    html.push('<button type="button" id="panel-trace" class="plain">Trace to raw data</button>');
    html.push('<a class="btn plain" href="/lineage/' + n.kind + "/" + n.id + '">Start lineage here</a>');
    html.push("</div>");
    if (sources) {
      html.push("<h3>Raw inputs (" + sources.length + ")</h3><ul class='sources'>");
      sources.forEach(function (s) {
        html.push('<li><a href="#" class="source" data-key="' + esc(s.key) + '">' + esc(s.type) + " #" + s.id + "</a> <span class='muted'>" + esc(baseName(s.uri)) + "</span></li>");
      });
      html.push("</ul><p class='muted'>click one to highlight its path</p>");
    }
    if (state.path.size > 1) html.push('<p class="muted">Path of ' + state.path.size + ' nodes highlighted. <a href="#" id="clear-path">clear</a></p>');
    panel.innerHTML = html.join("");
    panel.querySelector("#panel-expand").onclick = function () { expand(key); };
    panel.querySelector("#panel-trace").onclick = function () { traceSources(key); };
    panel.querySelectorAll("a.source").forEach(function (a) {
      a.onclick = function (ev) {
        ev.preventDefault();
        var path = shortestPath(a.getAttribute("data-key"), key);
        highlight(path); select(key, sources);
      };
    });
    var clear = panel.querySelector("#clear-path");
    if (clear) clear.onclick = function (ev) { ev.preventDefault(); highlight(null); select(key, sources); };
  }

  // Interaction: click selects, shift-click highlights a path, double-click expands, drag pans,
  // the wheel zooms around the pointer.
  var drag = null, moved = false;
  svg.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, y: ev.clientY, vx: state.view.x, vy: state.view.y }; moved = false; });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
    state.view.x = drag.vx + dx; state.view.y = drag.vy + dy; applyView();
  });
  window.addEventListener("mouseup", function () { drag = null; });
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var box = svg.getBoundingClientRect(), px = ev.clientX - box.left, py = ev.clientY - box.top;
    var k = Math.min(3, Math.max(0.1, state.view.k * Math.exp(-ev.deltaY * 0.0015)));
    state.view.x = px - (px - state.view.x) * k / state.view.k;
    state.view.y = py - (py - state.view.y) * k / state.view.k;
    state.view.k = k; applyView();
  }, { passive: false });
  svg.addEventListener("click", function (ev) {
    if (moved) return;
    var g = ev.target.closest(".node");
    if (!g) return;
    var key = g.getAttribute("data-key");
    if (isGroup(key)) {
      state.revealed.set(key, (state.revealed.get(key) || 0) + 1); draw(); fit(); return;
    }
    if (ev.shiftKey && state.selected && state.selected !== key) {
      var from = state.selected; highlight(shortestPath(from, key)); select(from); return;
    }
    select(key);
  });
  svg.addEventListener("dblclick", function (ev) {
    var g = ev.target.closest(".node");
    if (g && !isGroup(g.getAttribute("data-key"))) expand(g.getAttribute("data-key"));
  });
  document.getElementById("fit").onclick = fit;
  document.getElementById("depth").onchange = function (ev) {
    var url = new URL(window.location.href);
    url.searchParams.set("depth", ev.target.value);
    window.location.href = url.toString();
  };

  var started = performance.now();
  merge(initial);
  draw();
  fit();
  select(state.focus);
  window.djLineage = { state: state, expand: expand, traceSources: traceSources, shortestPath: shortestPath, renderMs: performance.now() - started };
  document.body.setAttribute("data-lineage-ready", "1");
})();
