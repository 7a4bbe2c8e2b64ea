// Shared by the SDK tests: the real packaged server (LIVESTATE_JAR or server/target/livestate.jar,
// token mode), tokens, clients on the `ws` package, and the ops a room really holds.
import WebSocket from 'ws';
import { adminToken, mintToken, until, within } from '../../../../e2e/lib/server.mjs';

const tokens = new Map();

/** A token for sub (cached: minting runs the jar), on rooms matching `sdk-*`. */
export function token(sub, { role = 'writer', priority = 0 } = {}) {
  const key = `${sub}/${role}/${priority}`;
  if (!tokens.has(key)) tokens.set(key, mintToken({ sub, rooms: ['sdk-*'], role, priority }));
  return tokens.get(key);
}

/** Every op the room holds, read by an operator joining from seq 0 of the room's epoch. */
export async function opsOf(server, room) {
  const state = await (await fetch(`${server.url}/api/rooms/${room}`, {
    headers: { authorization: `Bearer ${adminToken()}` },
  })).json();
  const ws = new WebSocket(server.wsUrl + '/ws');
  const received = [];
  ws.on('message', (d) => received.push(JSON.parse(String(d))));
  await within(new Promise((resolve, reject) => {
    ws.on('open', resolve);
    ws.on('error', reject);
  }), 10000, 'the operator connection');
  ws.send(JSON.stringify({ type: 'hello', id: 1, token: adminToken() }));
  ws.send(JSON.stringify({ type: 'join', id: 2, room, role: 'reader', since: { epoch: state.epoch, seq: 0 } }));
  const joined = await until(() => received.find((m) => m.id === 2), 'the operator joined');
  ws.close();
  if (!joined.ops) throw new Error('no ops in ' + JSON.stringify(joined));
  return { ops: joined.ops, state: state.state, seq: state.seq };
}

export { until, within, WebSocket };
