"""The viewer page: its Jinja template (autoescaped) and its own in-line script.

Kept apart from ``viewer.py`` so the Python reads as Python. The script works
on vis ``DataSet``s only, builds every text with ``textContent`` (never
``innerHTML``) and sets ``href`` only for http(s) URLs.
"""

PAGE = """<!DOCTYPE html>
<html lang="he" dir="rtl">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; \
style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="footkg">
<title>footkg · גרף הידע</title>
<style>{{ vis_css|safe }}</style>
<style>
html, body { margin: 0; height: 100%; font-family: "DejaVu Sans", Arial, sans-serif; font-size: 14px; color: #1f2328; }
body { display: grid; grid-template-columns: 1fr 21rem; grid-template-rows: auto auto 1fr; height: 100vh; }
header { grid-column: 1 / 3; display: flex; flex-wrap: wrap; gap: .4rem .8rem; align-items: center;
  padding: .4rem .8rem; background: #f4f6f8; border-bottom: 1px solid #d0d7de; position: relative; }
header h1 { font-size: 1.05rem; margin: 0; }
header input[type=search] { width: 14rem; }
header input[type=number] { width: 3.2rem; }
#kg-status { color: #57606a; }
#kg-note { grid-column: 1 / 3; margin: 0; padding: .3rem .8rem; background: #fff4d6; border-bottom: 1px solid #e9d8a6; }
#kg-note:empty { display: none; }
#mynetwork { grid-column: 1; grid-row: 3; position: relative; min-height: 0; height: 100%; }
#mynetwork canvas { direction: rtl; }
#kg-side { grid-column: 2; grid-row: 3; overflow: auto; padding: .5rem .8rem; border-inline-start: 1px solid #d0d7de; }
#kg-side h2 { font-size: 1rem; margin: .6rem 0 .3rem; }
#kg-side label { display: block; cursor: pointer; }
.glyph { display: inline-block; width: 1.2em; text-align: center; }
.line { display: inline-block; width: 1.6em; vertical-align: middle; border-top: 2px solid; margin-inline-end: .3em; }
.line.dashed { border-top-style: dashed; }
.line.dotted { border-top-style: dotted; }
#kg-results { position: absolute; top: 100%; z-index: 10; margin: 0; padding: 0; list-style: none; background: #fff;
  border: 1px solid #d0d7de; max-height: 16rem; overflow: auto; min-width: 16rem; }
#kg-results:empty { display: none; }
#kg-results button { display: block; width: 100%; text-align: start; border: 0; background: none;
  padding: .25rem .5rem; cursor: pointer; }
#kg-results button:hover { background: #eef3f8; }
#kg-details blockquote { margin: .4rem 0 .1rem; padding: .2rem .5rem; border-inline-start: 3px solid #8e44ad;
  background: #faf7fc; unicode-bidi: plaintext; }
#kg-details .meta { color: #57606a; font-size: .9em; margin: 0 0 .4rem; }
.kg-tip { white-space: pre-wrap; max-width: 28rem; direction: rtl; text-align: right; font-size: 13px;
  unicode-bidi: plaintext; }
div.vis-tooltip { padding: 0; font-family: "DejaVu Sans", Arial, sans-serif; }
div.vis-tooltip .kg-tip { padding: 5px; }
</style>
<script>{{ vis_js|safe }}</script>
</head>
<body>
<header>
  <h1>footkg · גרף הידע</h1>
  <span style="position: relative">
    <input id="kg-search" type="search" placeholder="חיפוש שם (עברית / English)" aria-label="search" autocomplete="off">
    <ul id="kg-results"></ul>
  </span>
  <label>מתאריך <input id="kg-since" type="date" value="{{ page.config.since }}"></label>
  <label>עד <input id="kg-until" type="date" value="{{ page.config.until }}"></label>
  <label>מיקוד: צעדים <input id="kg-hops" type="number" min="1" max="9" value="{{ page.config.hops }}"></label>
  <button id="kg-focus" type="button">מקד בנבחר</button>
  <button id="kg-reset" type="button">הצג הכול</button>
  <span id="kg-status"></span>
</header>
<p id="kg-note">{% if page.note %}מוצגות {{ "{:,}".format(page.note.shown) }} הישויות המרכזיות ביותר מתוך \
{{ "{:,}".format(page.note.total) }}; הושמטו {{ "{:,}".format(page.note.left_out) }} ישויות \
({% for t in page.note.types %}{{ t.he }} {{ "{:,}".format(t.count) }}{% if not loop.last %}, {% endif %}{% endfor %}) \
ו־{{ "{:,}".format(page.note.edges_left_out) }} קשרים. / Showing the {{ "{:,}".format(page.note.shown) }} most \
central of {{ "{:,}".format(page.note.total) }} entities; {{ "{:,}".format(page.note.left_out) }} entities and \
{{ "{:,}".format(page.note.edges_left_out) }} links left out.{% endif %}</p>
<div id="mynetwork"></div>
<aside id="kg-side">
  <h2>סוגי ישויות</h2>
  {% for t in page.legend %}<label><input type="checkbox" data-type="{{ t.type }}" checked>
    <span class="glyph" style="color: {{ t.colour }}">{{ t.glyph }}</span> {{ t.he }} / {{ t.en }} ({{ t.count }})</label>
  {% endfor %}
  <h2>קשרים</h2>
  {% for k in page.kinds %}<label><input type="checkbox" data-kind="{{ k.kind }}" checked>
    <span class="line{% if k.kind == 'background' %} dotted{% endif %}" style="color: {{ k.colour }}"></span>\
{{ k.he }} / {{ k.en }} ({{ k.count }})</label>
  {% endfor %}
  <label><span class="line dashed" style="color: #4a4a4a"></span>טענה שנשללה, רצויה, מתוכננת או אפשרית</label>
  <div id="kg-details"><p class="meta">לחצו על ישות או על קשר כדי לראות את הראיות.</p></div>
</aside>
<script>
"use strict";
const KG = {{ page.config|script_json|safe }};
const NODES = {{ nodes|script_json|safe }};
const EDGES = {{ edges|script_json|safe }};
const OPTIONS = {{ page.options|script_json|safe }};
{{ page.script|safe }}
</script>
</body>
</html>
"""

SCRIPT = r"""
(function () {
  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const norm = (s) => String(s || "").normalize("NFKD").replace(/[\u0591-\u05C7]/g, "")
    .replace(/[\u05F3\u05F4'"`\u2018\u2019\u201C\u201D]/g, "").replace(/[\s\-]+/g, " ").toLowerCase().trim();
  const byId = new Map(NODES.map((n) => [n.id, n]));
  const adj = new Map();
  for (const n of NODES) {
    n.title = el("div", n.tip, "kg-tip");   // a text node: tooltips never parse markup
    n.keys = [n.he, n.en].concat(n.alt || []).map(norm);
    adj.set(n.id, []);
  }
  for (const e of EDGES) {
    e.title = el("div", e.tip, "kg-tip");
    adj.get(e.from).push(e);
    adj.get(e.to).push(e);
  }
  const nodes = new vis.DataSet(NODES);
  const edges = new vis.DataSet(EDGES);
  const network = new vis.Network($("mynetwork"), {}, OPTIONS);
  const state = { types: new Set(KG.types.map((t) => t.type)), kinds: new Set(KG.kinds.map((k) => k.kind)),
                  since: KG.since, until: KG.until, focus: KG.focus || null, hops: KG.hops };
  const view = window.kgViewer = { network, nodes, edges, state, ready: false };

  const inRange = (dates) => (!state.since && !state.until) ||
    (dates || []).some((d) => (!state.since || d >= state.since) && (!state.until || d <= state.until));

  function reach(start, hops) {
    const seen = new Map([[start, 0]]);
    let frontier = [start];
    for (let d = 1; d <= hops && frontier.length; d++) {
      const next = [];
      for (const id of frontier) {
        for (const e of adj.get(id) || []) {
          const other = e.from === id ? e.to : e.from;
          if (state.kinds.has(e.kind) && !seen.has(other)) { seen.set(other, d); next.push(other); }
        }
      }
      frontier = next;
    }
    return seen;
  }

  function apply() {
    const within = state.focus ? reach(state.focus, state.hops) : null;
    const shown = new Set();
    nodes.update(NODES.map((n) => {
      const ok = state.types.has(n.type) && inRange(n.dates) && (!within || within.has(n.id));
      if (ok) shown.add(n.id);
      return { id: n.id, hidden: !ok };
    }));
    let links = 0;
    edges.update(EDGES.map((e) => {
      const ok = state.kinds.has(e.kind) && (e.kind === "background" || inRange(e.dates));
      if (ok && shown.has(e.from) && shown.has(e.to)) links++;
      return { id: e.id, hidden: !ok };
    }));
    const status = $("kg-status");
    status.textContent = shown.size + " / " + NODES.length + " ישויות · " + links + " קשרים";
    status.dataset.nodes = String(shown.size);
    status.dataset.edges = String(links);
  }

  function search(q) {
    const k = norm(q);
    if (!k) return [];
    const hits = [];
    for (const n of NODES) {
      let best = 9;
      for (const key of n.keys) {
        const words = key.split(" ");
        if (key === k) best = 0;
        else if (words.includes(k)) best = Math.min(best, 1);
        else if (key.startsWith(k) || words.some((w) => w.startsWith(k))) best = Math.min(best, 2);
        else if (key.includes(k)) best = Math.min(best, 3);
      }
      if (best < 9) hits.push([best, -n.size, n.id]);
    }
    hits.sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1));
    return hits.slice(0, 20).map((h) => h[2]);
  }

  function select(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: false });
    showNode(id);
  }

  function showResults(q) {
    const list = $("kg-results");
    list.replaceChildren();
    for (const id of search(q)) {
      const n = byId.get(id);
      const b = el("button", n.he + (n.en !== n.he ? " · " + n.en : ""));
      b.type = "button";
      b.dataset.id = id;
      b.addEventListener("click", () => { list.replaceChildren(); select(id); });
      const li = el("li");
      li.appendChild(b);
      list.appendChild(li);
    }
  }

  function link(url) {
    if (!/^https?:\/\//i.test(url || "")) return null;
    const a = el("a", "לכתבה ↗");
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function showNode(id) {
    const n = byId.get(id);
    const box = $("kg-details");
    box.replaceChildren(el("h2", n.he), el("p", n.en, "meta"));
    const t = KG.types.find((x) => x.type === n.type);
    box.appendChild(el("p", (t ? t.he + " · " + t.en : "?") + " · " + n.articles + " כתבות", "meta"));
    if ((n.alt || []).length) box.appendChild(el("p", "גם: " + n.alt.join(", "), "meta"));
    box.appendChild(el("p", (adj.get(id) || []).length + " קשרים", "meta"));
    const b = el("button", "מקד כאן");
    b.type = "button";
    b.addEventListener("click", () => { network.selectNodes([id]); focusSelected(); });
    box.appendChild(b);
  }

  function showEdge(id) {
    const e = edges.get(id);
    const box = $("kg-details");
    const from = byId.get(e.from), to = byId.get(e.to);
    box.replaceChildren(el("h2", e.rel[0] + " / " + e.rel[1]),
      el("p", from.he + (e.arrows ? " ← " : " · ") + to.he, "meta"));
    if (e.mod) box.appendChild(el("p", "אופן: " + e.mod + " (" + e.modality + ")", "meta"));
    for (const ev of e.ev) {
      if (!ev.text) { box.appendChild(el("p", "רקע (קטלוג): " + ev.source, "meta")); continue; }
      box.appendChild(el("blockquote", ev.text));
      const meta = el("p", "— " + [ev.speaker, ev.date].filter(Boolean).join(", ") + " ", "meta");
      const a = link(ev.url);
      if (a) meta.appendChild(a);
      box.appendChild(meta);
    }
    if (e.count > e.ev.length) box.appendChild(el("p", "ועוד " + (e.count - e.ev.length), "meta"));
    if (e.background) box.appendChild(el("p", "מאושר ברקע: " + e.background, "meta"));
  }

  function focusSelected() {
    const sel = network.getSelectedNodes();
    if (!sel.length) return;
    state.focus = sel[0];
    state.hops = Number($("kg-hops").value) || 2;
    apply();
  }

  function toggle(set, key, on) {
    if (on) set.add(key); else set.delete(key);
    apply();
  }

  function ready() {
    if (view.ready) return;
    view.ready = true;
    document.body.dataset.ready = "1";
    if (KG.focus && byId.has(KG.focus)) select(KG.focus);
  }

  network.on("click", (p) => {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  });
  $("kg-search").addEventListener("input", (ev) => showResults(ev.target.value));
  $("kg-search").addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    const hits = search(ev.target.value);
    $("kg-results").replaceChildren();
    if (hits.length) select(hits[0]);
  });
  for (const box of document.querySelectorAll("[data-type]")) {
    box.addEventListener("change", () => toggle(state.types, box.dataset.type, box.checked));
  }
  for (const box of document.querySelectorAll("[data-kind]")) {
    box.addEventListener("change", () => toggle(state.kinds, box.dataset.kind, box.checked));
  }
  $("kg-since").addEventListener("change", (ev) => { state.since = ev.target.value; apply(); });
  $("kg-until").addEventListener("change", (ev) => { state.until = ev.target.value; apply(); });
  $("kg-focus").addEventListener("click", focusSelected);
  $("kg-reset").addEventListener("click", () => { state.focus = null; apply(); network.fit(); });

  Object.assign(view, { search, select, showNode, showEdge, apply });
  if (KG.physics) {
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: { enabled: false } });   // settled: stop
      network.fit();
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
  }
  network.setData({ nodes, edges });
  apply();
  if (!NODES.length) ready();
})();
"""
