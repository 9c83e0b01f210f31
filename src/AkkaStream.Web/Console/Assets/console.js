// The AkkaStream console: polls the broker's /api/ endpoints and draws the page. Everything that
// comes from the cluster or from records is put in the document as text nodes (el() below), never
// as markup, so a record holding "<script>" shows as those characters.
"use strict";

const REFRESH_MS = 5000;
const CHART_MS = 2000;

/** An element with attributes and children; string children become text nodes. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svgEl(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
  return node;
}

async function api(path) {
  const response = await fetch(path, { cache: "no-store" });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(body && body.message ? `${body.error} (${body.code}): ${body.message}` : `HTTP ${response.status}`);
    error.body = body;
    throw error;
  }
  return body;
}

function bytes(n) {
  if (n === null || n === undefined) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

function dash(v) { return v === null || v === undefined ? "–" : String(v); }

function setStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = isError ? "bad" : "muted";
}

// ---- Cluster ----

async function refreshCluster() {
  const cluster = await api("/api/cluster");
  document.getElementById("broker-title").textContent = `broker ${cluster.selfBrokerId}`;
  document.title = `AkkaStream broker ${cluster.selfBrokerId}`;
  document.getElementById("cluster-summary").textContent =
    `cluster ${cluster.clusterId || "?"} · controller: broker ${cluster.controllerId} · cluster leader: ${cluster.leader || "none"} · oldest: ${cluster.oldest || "none"}`;
  const rows = cluster.members.map(m => el("tr", { "data-broker": m.brokerId },
    el("td", {}, dash(m.brokerId), m.isSelf ? el("span", { class: "tag" }, "this") : null,
      m.isController ? el("span", { class: "tag" }, "controller") : null, m.isOldest ? el("span", { class: "tag" }, "oldest") : null,
      m.isLeader ? el("span", { class: "tag" }, "leader") : null),
    el("td", {}, m.address),
    el("td", {}, m.status),
    el("td", { class: m.reachable ? "ok" : "bad" }, m.reachable ? "yes" : "no"),
    el("td", { class: m.health.status === "ready" ? "ok" : "bad", title: m.health.detail || "" }, m.health.status),
    el("td", {}, m.roles.map(r => el("span", { class: "tag" }, r))),
    el("td", {}, m.http ? el("a", { href: m.http }, m.http) : "–")));
  document.querySelector("#members tbody").replaceChildren(...rows);
  updateChartBrokers(cluster);
}

// ---- Topics ----

let topics = [];

async function refreshTopics() {
  topics = await api("/api/topics");
  const list = document.getElementById("topic-list");
  if (topics.length === 0) {
    list.replaceChildren(el("p", { class: "muted" }, "No topics."));
  } else {
    list.replaceChildren(...topics.map(topicTable));
  }
  updateBrowseTopics();
}

function topicTable(topic) {
  const under = topic.partitions.filter(p => p.underReplicated).length;
  const size = topic.partitions.reduce((sum, p) => sum + (p.sizeBytes || 0), 0);
  return el("div", { class: "topic", "data-topic": topic.name },
    el("h3", {}, topic.name, " ", el("span", { class: "muted" },
      `${topic.partitions.length} partition(s) · ${bytes(size)} at the leaders`),
      under > 0 ? el("span", { class: "warn" }, ` · ${under} under-replicated`) : null),
    el("table", {},
      el("thead", {}, el("tr", {}, ["Partition", "Leader", "Epoch", "Replicas", "ISR", "Log start", "End (high watermark)", "Size", "Replica sizes", ""].map(h => el("th", {}, h)))),
      el("tbody", {}, topic.partitions.map(p => el("tr", {
          "data-topic": topic.name, "data-partition": p.partition,
          class: p.offline ? "offline" : p.underReplicated ? "under-replicated" : null },
        el("td", { class: "num" }, p.partition),
        el("td", { class: p.offline ? "bad" : null }, p.offline ? "offline" : p.leader),
        el("td", { class: "num" }, p.leaderEpoch),
        el("td", {}, p.replicas.join(", ")),
        el("td", { class: p.underReplicated ? "warn" : null }, p.isr.join(", "), p.underReplicated ? " (under-replicated)" : ""),
        el("td", { class: "num" }, dash(p.logStartOffset)),
        el("td", { class: "num log-end" }, dash(p.highWatermark)),
        el("td", { class: "num" }, bytes(p.sizeBytes)),
        el("td", { class: "muted" }, Object.entries(p.replicaSizes).map(([b, s]) => `${b}: ${bytes(s)}`).join(" · ")),
        el("td", {}, el("a", { href: "#browser", "data-browse": `${topic.name}/${p.partition}` }, "browse"))))))
  );
}

// ---- Consumer groups ----

async function refreshGroups() {
  const groups = await api("/api/groups");
  const described = await Promise.all(groups.map(g => api(`/api/groups/${encodeURIComponent(g.groupId)}`).catch(e => ({ groupId: g.groupId, state: g.state, error: e.message }))));
  const list = document.getElementById("group-list");
  if (described.length === 0) {
    list.replaceChildren(el("p", { class: "muted" }, "No consumer groups."));
    return;
  }
  list.replaceChildren(...described.map(groupTable));
}

function groupTable(group) {
  if (group.error) return el("div", { class: "group", "data-group": group.groupId }, el("h3", {}, group.groupId), el("p", { class: "error" }, group.error));
  return el("div", { class: "group", "data-group": group.groupId },
    el("h3", {}, group.groupId, " ", el("span", { class: "muted" },
      `${group.state} · ${group.members.length} member(s) · ${group.protocolName || group.protocolType || "no protocol"} · total lag ${group.totalLag}`)),
    group.members.length === 0 ? null : el("ul", {}, group.members.map(m => el("li", { "data-member": m.memberId },
      el("code", {}, m.memberId), m.groupInstanceId ? ` (static: ${m.groupInstanceId})` : "",
      " ", el("span", { class: "muted client" }, `${m.clientId || "-"} at ${m.clientHost || "-"}`),
      ": ", m.assigned.join(", ") || "nothing assigned"))),
    el("table", {},
      el("thead", {}, el("tr", {}, ["Topic", "Partition", "Member", "Committed", "Log end", "Lag"].map(h => el("th", {}, h)))),
      el("tbody", {}, group.partitions.map(p => el("tr", { "data-group": group.groupId, "data-topic": p.topic, "data-partition": p.partition },
        el("td", {}, p.topic),
        el("td", { class: "num" }, p.partition),
        el("td", {}, el("code", {}, dash(p.memberId))),
        el("td", { class: "num committed" }, dash(p.committedOffset)),
        el("td", { class: "num" }, p.logEndOffset),
        el("td", { class: `num lag ${p.lag > 0 ? "warn" : ""}` }, dash(p.lag)))))));
}

// ---- Charts ----

let chartBroker = null;

function updateChartBrokers(cluster) {
  const select = document.getElementById("chart-broker");
  const ids = cluster.members.filter(m => m.http && m.brokerId !== null).map(m => String(m.brokerId));
  if (chartBroker === null) chartBroker = String(cluster.selfBrokerId);
  const current = Array.from(select.options).map(o => o.value);
  if (current.join() !== ids.join()) {
    select.replaceChildren(...ids.map(id => el("option", { value: id }, `broker ${id}`)));
  }
  select.value = chartBroker;
}

let lastCharts = null;
const hiddenSeries = new Set();

async function refreshCharts() {
  const query = chartBroker === null ? "" : `?broker=${encodeURIComponent(chartBroker)}`;
  lastCharts = await api(`/api/charts${query}`);
  drawCharts();
}

function drawCharts() {
  if (!lastCharts) return;
  const points = lastCharts.points;
  drawChart(document.getElementById("chart-bytes"), points, [
    { name: "in", color: "var(--in)", value: p => p.bytesInPerSec },
    { name: "out", color: "var(--out)", value: p => p.bytesOutPerSec },
  ], v => `${bytes(Math.round(v))}/s`, false);
  const apis = [...new Set(points.flatMap(p => Object.keys(p.latencyMs)))].sort();
  const palette = ["#1f6feb", "#d1680f", "#1a7f37", "#8250df", "#b3261e", "#0a7d8c", "#6e7781", "#bf8700", "#cf222e", "#116329"];
  // A log scale: a long-polled fetch (hundreds of ms) and a produce (a few ms) both stay readable.
  drawChart(document.getElementById("chart-latency"), points, apis.map((api, i) => ({
    name: api, color: palette[i % palette.length], value: p => p.latencyMs[api] ?? null,
  })), v => `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms`, true);
}

/**
 * A line per series over the points' time span; the y axis from 0 (or, on a log scale, from the
 * smallest value) to the largest value of the series shown. Clicking a series' name in the legend
 * hides or shows it; the legend gives each series' latest value.
 */
function drawChart(svg, points, series, format, log) {
  const width = 600, height = 200, left = 64, right = 190, top = 10, bottom = 20;
  const shown = series.filter(s => !hiddenSeries.has(s.name));
  const values = points.flatMap(p => shown.map(s => s.value(p))).filter(v => v !== null && v !== undefined && (!log || v > 0));
  const max = Math.max(log ? 0.01 : 1, ...values);
  const min = log ? Math.min(max / 10, ...values) : 0;
  const scale = log ? v => Math.log10(Math.max(v, min)) : v => v;
  const t0 = points.length ? points[0].time : 0;
  const t1 = points.length ? Math.max(points[points.length - 1].time, t0 + 1) : 1;
  const x = t => left + (t - t0) / (t1 - t0) * (width - left - right);
  const y = v => height - bottom - (scale(v) - scale(min)) / (scale(max) - scale(min) || 1) * (height - top - bottom);
  const label = (text, attrs) => { const t = svgEl("text", attrs); t.textContent = text; return t; };
  const nodes = [svgEl("line", { class: "axis", x1: left, y1: height - bottom, x2: width - right, y2: height - bottom }),
    svgEl("line", { class: "axis", x1: left, y1: top, x2: left, y2: height - bottom }),
    label(format(max), { x: 2, y: top + 8 }), label(format(min), { x: 2, y: height - bottom })];
  if (points.length) nodes.push(label(`last ${Math.round((t1 - t0) / 1000)} s${log ? " · log scale" : ""}`, { x: left, y: height - 4 }));
  series.forEach((s, i) => {
    const hidden = hiddenSeries.has(s.name);
    let d = "";
    let latest = null;
    // Runs of consecutive points become lines; a point alone (an API asked once) becomes a dot.
    const runs = [[]];
    for (const p of points) {
      const v = s.value(p);
      if (v === null || v === undefined) { if (runs[runs.length - 1].length) runs.push([]); continue; }
      latest = v;
      runs[runs.length - 1].push([x(p.time).toFixed(1), y(v).toFixed(1)]);
    }
    for (const run of runs.filter(r => r.length > 1)) d += run.map(([px, py], j) => `${j === 0 ? "M" : "L"}${px},${py}`).join(" ") + " ";
    if (!hidden) {
      if (d) nodes.push(svgEl("path", { d, fill: "none", stroke: s.color, "stroke-width": 1.5, "data-series": s.name }));
      for (const [[px, py]] of runs.filter(r => r.length === 1)) nodes.push(svgEl("circle", { cx: px, cy: py, r: 2, fill: s.color }));
    }
    const legend = label(`${s.name}${latest === null ? "" : `: ${format(latest)}`}`, {
      x: width - right + 8, y: top + 10 + i * 12, class: "legend", "data-series": s.name,
      style: `fill:${hidden ? "#bbb" : s.color};cursor:pointer`,
    });
    legend.addEventListener("click", () => {
      if (hiddenSeries.has(s.name)) hiddenSeries.delete(s.name); else hiddenSeries.add(s.name);
      drawCharts();
    });
    nodes.push(legend);
  });
  svg.replaceChildren(...nodes);
}

// ---- Message browser ----

let nextOffset = null;

function updateBrowseTopics() {
  const select = document.getElementById("browse-topic");
  const names = topics.map(t => t.name);
  if (Array.from(select.options).map(o => o.value).join("\n") !== names.join("\n")) {
    const chosen = select.value;
    select.replaceChildren(...names.map(n => el("option", { value: n }, n)));
    if (names.includes(chosen)) select.value = chosen;
    updateBrowsePartitions();
  }
}

function updateBrowsePartitions() {
  const topic = topics.find(t => t.name === document.getElementById("browse-topic").value);
  const select = document.getElementById("browse-partition");
  const chosen = select.value;
  select.replaceChildren(...(topic ? topic.partitions : []).map(p => el("option", { value: p.partition }, p.partition)));
  if (chosen && Array.from(select.options).some(o => o.value === chosen)) select.value = chosen;
}

function renderBytes(view, hex) {
  if (view === null || view === undefined) return el("span", { class: "muted" }, "null");
  const shown = hex ? view.hex.replace(/(..)/g, "$1 ").trim() : view.text;
  return el("span", { class: "value", "data-size": view.size }, shown,
    view.truncated ? el("span", { class: "cut" }, ` … (${bytes(view.size)} in all)`) : null);
}

let lastPage = null;

function renderRecords() {
  const hex = document.getElementById("browse-hex").checked;
  const rows = (lastPage ? lastPage.records : []).map(r => el("tr", { "data-offset": r.offset },
    el("td", { class: "num" }, r.offset),
    el("td", { class: "time", title: r.timestampType }, new Date(r.timestamp).toISOString()),
    el("td", { class: "key" }, renderBytes(r.key, hex)),
    el("td", { class: "val" }, renderBytes(r.value, hex)),
    el("td", {}, r.headers.map(h => el("div", {}, el("b", {}, h.key), ": ", renderBytes(h.value, hex))))));
  document.querySelector("#records tbody").replaceChildren(...rows);
}

async function browse(fromNext) {
  const topic = document.getElementById("browse-topic").value;
  const partition = document.getElementById("browse-partition").value;
  const limit = document.getElementById("browse-limit").value || "20";
  const info = document.getElementById("browse-info");
  if (!topic) { info.textContent = "Choose a topic."; return; }
  const params = new URLSearchParams({ limit });
  const mode = document.querySelector("input[name=from]:checked").value;
  if (fromNext) {
    params.set("offset", nextOffset);
  } else if (mode === "timestamp") {
    const time = document.getElementById("browse-time").value;
    if (time) params.set("timestamp", String(new Date(time).getTime()));
  } else {
    const offset = document.getElementById("browse-offset").value;
    if (offset !== "") params.set("offset", offset);
  }
  try {
    lastPage = await api(`/api/topics/${encodeURIComponent(topic)}/partitions/${encodeURIComponent(partition)}/records?${params}`);
    nextOffset = lastPage.nextOffset;
    info.className = "muted";
    info.textContent = `${topic}-${partition}: ${lastPage.records.length} record(s) from offset ${lastPage.startOffset}` +
      ` · log start ${lastPage.logStartOffset} · high watermark ${lastPage.highWatermark} · next page from ${lastPage.nextOffset}`;
    document.getElementById("browse-next").disabled = lastPage.nextOffset >= lastPage.highWatermark;
  } catch (e) {
    lastPage = null;
    info.className = "error";
    info.textContent = e.message;
    document.getElementById("browse-next").disabled = true;
  }
  renderRecords();
}

// ---- Wiring ----

async function poll(what, interval) {
  try {
    await what();
    setStatus(`updated ${new Date().toLocaleTimeString()}`, false);
  } catch (e) {
    setStatus(e.message, true);
  }
  setTimeout(() => poll(what, interval), interval);
}

document.getElementById("browse-form").addEventListener("submit", e => { e.preventDefault(); browse(false); });
document.getElementById("browse-next").addEventListener("click", () => browse(true));
document.getElementById("browse-hex").addEventListener("change", renderRecords);
document.getElementById("browse-topic").addEventListener("change", updateBrowsePartitions);
document.getElementById("chart-broker").addEventListener("change", e => { chartBroker = e.target.value; });
document.getElementById("topic-list").addEventListener("click", e => {
  const link = e.target.closest("a[data-browse]");
  if (!link) return;
  const [topic, partition] = [link.dataset.browse.slice(0, link.dataset.browse.lastIndexOf("/")), link.dataset.browse.slice(link.dataset.browse.lastIndexOf("/") + 1)];
  document.getElementById("browse-topic").value = topic;
  updateBrowsePartitions();
  document.getElementById("browse-partition").value = partition;
  browse(false);
});

poll(refreshCluster, REFRESH_MS);
poll(refreshTopics, REFRESH_MS);
poll(refreshGroups, REFRESH_MS);
poll(refreshCharts, CHART_MS);
