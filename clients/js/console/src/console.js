// The console page: polls the admin API twice a second and draws what it says.
import uPlot from 'uplot';

const POLL_MS = 500;
// the cluster view asks Redis for every lease: every fourth poll is often enough for people
const CLUSTER_EVERY = 4;
const token = new URLSearchParams(location.search).get('token');
const headers = token ? { Authorization: `Bearer ${token}` } : {};
const $ = (id) => document.getElementById(id);
let selected = null;
let chart = null;
let polls = 0;

async function get(path) {
  const r = await fetch(path, { headers, cache: 'no-store' });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.json();
}

function cell(row, text, numeric) {
  const td = row.insertCell();
  td.textContent = text;
  if (numeric) td.className = 'num';
}

function drawChart(seconds) {
  const data = [
    seconds.map((s) => s.at / 1000),
    seconds.map((s) => s.ops),
    seconds.map((s) => s.deliveries),
  ];
  if (!chart) {
    chart = new uPlot({
      width: Math.max(300, $('chart').clientWidth), height: 220,
      series: [{}, { label: 'ops/s', stroke: '#2563eb', width: 2 },
        { label: 'deliveries/s', stroke: '#16a34a', width: 2 }],
      axes: [{}, { label: 'per second' }],
    }, data, $('chart'));
  } else {
    chart.setData(data);
  }
  $('chart').dataset.points = String(seconds.length);
  $('chart').dataset.lastOps = String(seconds.length ? seconds[seconds.length - 1].ops : 0);
}

function drawRooms(overview) {
  $('room-count').textContent = `(${overview.roomCount})`;
  const body = $('room-rows');
  body.textContent = '';
  for (const r of overview.rooms) {
    const row = body.insertRow();
    row.dataset.room = r.name;
    if (r.name === selected) row.className = 'selected';
    cell(row, r.name);
    cell(row, r.surface);
    cell(row, r.seq, true);
    cell(row, r.subscribers, true);
    cell(row, r.opsPerSecond.toFixed(1), true);
    cell(row, r.leader ?? '');
    row.onclick = () => { selected = r.name; pollRoom(); };
  }
  $('connections').textContent = 'connections: ' + Object.entries(overview.connections)
    .filter(([, n]) => n > 0).map(([surface, n]) => `${surface} ${n}`).join(' · ') || 'connections: none';
}

function drawClients(overview) {
  const shown = overview.clients.length;
  $('client-count').textContent = shown < overview.clientCount
    ? `(${overview.clientCount}, first ${shown} shown)` : `(${overview.clientCount})`;
  const body = $('client-rows');
  body.textContent = '';
  for (const c of overview.clients) {
    const row = body.insertRow();
    row.dataset.client = c.clientId ?? '';
    cell(row, c.clientId ?? '—');
    cell(row, c.surface);
    cell(row, c.address ?? '—');
    cell(row, (c.rooms ?? []).join(', '));
  }
}

// /api/cluster answers 404 on a single node: the section stays hidden
async function pollCluster() {
  const r = await fetch('/api/cluster', { headers, cache: 'no-store' });
  if (r.status === 404) return;
  if (!r.ok) throw new Error(`/api/cluster: ${r.status}`);
  const cluster = await r.json();
  $('cluster').hidden = false;
  $('cluster-self').textContent = `(${cluster.nodes.length} nodes; this page is served by ${cluster.node})`;
  const body = $('node-rows');
  body.textContent = '';
  for (const n of cluster.nodes) {
    const row = body.insertRow();
    row.dataset.node = n.node;
    cell(row, n.node === cluster.node ? `${n.node} (this one)` : n.node);
    cell(row, n.rooms.length, true);
    cell(row, n.rooms.join(', '));
  }
}

async function pollRoom() {
  if (!selected) return;
  const room = await get(`/console/api/rooms/${encodeURIComponent(selected)}`);
  $('room').hidden = false;
  $('room-name').textContent = room.name;
  $('room-head').textContent = `seq ${room.seq} · epoch ${room.epoch} · ${room.subscribers} subscribers`;
  $('room-state').textContent = JSON.stringify(room.state, null, 2);
  $('room-presence').textContent = JSON.stringify(room.presence, null, 2);
  const ops = $('room-ops');
  ops.textContent = '';
  for (const op of room.ops) {
    const li = document.createElement('li');
    li.value = op.seq;
    const change = op.reset ? { reset: op.reset } : { set: op.set, ...(op.delete ? { delete: op.delete } : {}) };
    li.textContent = `${op.writer}: ${JSON.stringify(change)}`;
    ops.appendChild(li);
  }
  ops.scrollTop = ops.scrollHeight; // the newest op in view
}

async function poll() {
  try {
    const overview = await get('/console/api/overview');
    drawRooms(overview);
    drawChart(overview.seconds);
    drawClients(overview);
    if (polls++ % CLUSTER_EVERY === 0) await pollCluster();
    await pollRoom();
    $('status').textContent = 'live';
    $('status').className = '';
  } catch (e) {
    $('status').textContent = `not connected (${e.message})`;
    $('status').className = 'down';
  }
  setTimeout(poll, POLL_MS);
}

selected = new URLSearchParams(location.search).get('room');
poll();
