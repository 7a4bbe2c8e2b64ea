// A load-client process for uisync-bench.mjs: opens websocket-only socket.io-client connections
// and, when told, follows a site and records each new_state's latency (sender's timestamp).
import { io } from 'socket.io-client';

const [url, count] = [process.argv[2], Number(process.argv[3])];
const sockets = [];
let latencies = [];
let received = 0;

async function open(n) {
  for (let i = 0; i < n; i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 100); j++) {
      const s = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
      s.on('new_state', (p) => {
        received++;
        latencies.push(Date.now() - p.new_val.t);
      });
      sockets.push(s);
      batch.push(new Promise((resolve, reject) => {
        s.once('confirm_connect', resolve);
        s.once('connect_error', reject);
      }));
    }
    await Promise.all(batch);
  }
}

process.on('message', async (m) => {
  if (m.cmd === 'open') {
    await open(count);
    process.send({ cmd: 'opened' });
  } else if (m.cmd === 'join') {
    await Promise.all(sockets.map((s) => new Promise((resolve) => {
      s.once('confirm_follower_start', resolve);
      s.emit('join_room', { site: m.site });
    })));
    process.send({ cmd: 'joined' });
  } else if (m.cmd === 'take') {
    process.send({ cmd: 'taken', received, latencies });
    latencies = [];
    received = 0;
  } else if (m.cmd === 'close') {
    sockets.forEach((s) => s.close());
    process.send({ cmd: 'closed' });
    setTimeout(() => process.exit(0), 100);
  }
});
process.send({ cmd: 'ready' });
