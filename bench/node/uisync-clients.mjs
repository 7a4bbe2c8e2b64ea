// A load-client process for uisync-bench.mjs: opens websocket-only socket.io-client connections
// that follow sites (recording each new_state's latency from the sender's timestamp), that lead
// sites (sending ui_change at a given rate per site), or that only sit joined (idle memory).
import { io } from 'socket.io-client';

const url = process.argv[2];
const sockets = [];
const leaders = [];
let latencies = [];
let received = 0;
let disconnects = 0; // a socket the server dropped (a missed heartbeat under overload) loses deliveries

const connect = () => {
  const s = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(s);
  s.on('disconnect', () => disconnects++);
  return s;
};
const connected = (s) => new Promise((resolve, reject) => {
  s.once('confirm_connect', resolve);
  s.once('connect_error', reject);
});

// opens followers of each [site, count], 100 at a time, each joined to its site
async function follow(sites, record) {
  const all = sites.flatMap(([site, n]) => Array.from({ length: n }, () => site));
  for (let i = 0; i < all.length; i += 100) {
    await Promise.all(all.slice(i, i + 100).map(async (site) => {
      const s = connect();
      if (record) {
        s.on('new_state', (p) => {
          received++;
          latencies.push(Date.now() - p.new_val.t);
        });
      }
      await connected(s);
      const joined = new Promise((resolve) => s.once('confirm_follower_start', resolve));
      s.emit('join_room', { site });
      await joined;
    }));
  }
}

async function lead(sites) {
  await Promise.all(sites.map(async (site) => {
    const s = connect();
    await connected(s);
    const started = new Promise((resolve) => s.once('confirm_leader_start', resolve));
    s.emit('new_leader', JSON.stringify({ site, full_state_snapshot: {}, leader: { name: 'Bench', id: `bench-${site}` } }));
    await started;
    leaders.push({ site, s });
  }));
}

// every led site changes `rate` times a second for `seconds`: a 10 ms timer sends what the wall
// clock says is due, so a late tick on a loaded machine sends more rather than lowering the rate
function send(rate, seconds) {
  return new Promise((resolve) => {
    const started = Date.now();
    let sent = 0;
    const timer = setInterval(() => {
      const elapsed = Math.min(seconds * 1000, Date.now() - started);
      for (const due = Math.floor((rate * elapsed) / 1000); sent < due; sent++) {
        for (const { site, s } of leaders) {
          s.emit('ui_change', { site, mutation_name: 'ra', new_val: { t: Date.now(), i: sent } });
        }
      }
      if (elapsed >= seconds * 1000) {
        clearInterval(timer);
        resolve(sent);
      }
    }, 10);
  });
}

process.on('message', async (m) => {
  if (m.cmd === 'follow') {
    await follow(m.sites, m.record);
    process.send({ cmd: 'following' });
  } else if (m.cmd === 'lead') {
    await lead(m.sites);
    process.send({ cmd: 'leading' });
  } else if (m.cmd === 'send') {
    process.send({ cmd: 'sent', changes: (await send(m.rate, m.seconds)) * leaders.length });
  } else if (m.cmd === 'take') {
    process.send({ cmd: 'taken', received, latencies, disconnects });
    latencies = [];
    received = 0;
  } else if (m.cmd === 'close') {
    sockets.forEach((s) => s.off('disconnect').close());
    process.send({ cmd: 'closed' });
    setTimeout(() => process.exit(0), 100);
  }
});
// a connection the overloaded server did not accept in time ends this process; the benchmark
// counts the step as failed rather than waiting for an answer that never comes
const fail = (e) => {
  process.send({ cmd: 'failed', error: String(e?.message ?? e) });
  setTimeout(() => process.exit(1), 100);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
process.send({ cmd: 'ready' });
