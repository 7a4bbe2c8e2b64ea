// The UI sync events served by a plain Node Socket.IO 4 server, written for the benchmark as the
// baseline livestate is compared with: the original's semantics (in memory), plus the leader check.
// Usage: node uisync-node-server.mjs PORT   (env COMPRESSION=1 turns on permessage-deflate)
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] || 0);
const http = createServer((req, res) => {
  // for the benchmark's memory measurement: a full GC when started with --expose-gc
  if (req.url === '/__gc' && global.gc) global.gc();
  res.end('<p>UI Sync is online</p>');
});
const io = new Server(http, {
  cors: { origin: true, credentials: true },
  perMessageDeflate: process.env.COMPRESSION === '1',
  pingInterval: 25000,
  pingTimeout: 20000,
  maxHttpBufferSize: 1e6,
});
const sites = new Map(); // site -> { state, leader, sid }
const leaders = () => Object.fromEntries([...sites].map(([s, v]) => [s, v.leader.name]));

io.on('connection', (socket) => {
  socket.emit('confirm_connect', { leaders: leaders() });
  socket.on('join_room', ({ site }) => {
    socket.join(site);
    const s = sites.get(site);
    if (s) socket.emit('full_state_snapshot', { state_snapshot: s.state, leader: s.leader });
    socket.emit('confirm_follower_start', { site });
  });
  socket.on('leave_room', ({ site }) => {
    socket.leave(site);
    socket.emit('confirm_follower_end', { site });
  });
  socket.on('new_leader', (payload) => {
    const { site, full_state_snapshot: state, leader } = JSON.parse(payload);
    sites.set(site, { state, leader, sid: socket.id });
    io.to(site).emit('full_state_snapshot', { state_snapshot: state, leader });
    socket.emit('confirm_leader_start', { site });
    socket.broadcast.emit('all_leaders', { leaders: leaders() });
  });
  socket.on('ui_change', ({ site, mutation_name: key, new_val: val }) => {
    const s = sites.get(site);
    if (!s || s.sid !== socket.id) return socket.emit('error', { event: 'ui_change', site, reason: 'not_leader' });
    s.state[key] = val;
    io.to(site).emit('new_state', { key, new_val: val });
  });
  socket.on('remove_leader', ({ site }) => {
    const s = sites.get(site);
    if (!s || s.sid !== socket.id) return;
    sites.delete(site);
    socket.emit('confirm_leader_end', { site });
    io.to(site).emit('no_more_leader', { site, leader_name: s.leader.name });
    socket.broadcast.emit('all_leaders', { leaders: leaders() });
  });
  socket.on('my_ping', () => socket.emit('my_pong'));
  socket.on('disconnect', () => {
    for (const [site, s] of sites) {
      if (s.sid !== socket.id) continue;
      sites.delete(site);
      io.to(site).emit('no_more_leader', { site, leader_name: s.leader.name });
      io.emit('all_leaders', { leaders: leaders() });
    }
  });
});

http.listen(port, '127.0.0.1', () => console.log(`listening on port ${http.address().port}`));
process.on('SIGTERM', () => process.exit(0));
