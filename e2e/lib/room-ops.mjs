// What a native room really holds, read as an operator: every op it keeps for catch-up.
import { adminToken, until, within } from './server.mjs';

/**
 * The room's ops (joining from seq 0 of its epoch), state and seq on a test server. WebSocket is
 * the `ws` package's constructor of the caller (this folder has no node_modules of its own).
 */
export async function roomOps(server, room, WebSocket) {
  const { epoch, seq, state } = await (await fetch(`${server.url}/api/rooms/${encodeURIComponent(room)}`, {
    headers: { authorization: `Bearer ${adminToken()}` },
  })).json();
  const ws = new WebSocket(server.wsUrl + '/ws');
  const received = [];
  ws.on('message', (d) => received.push(JSON.parse(String(d))));
  await within(new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject)), 10000, 'the operator connection');
  ws.send(JSON.stringify({ type: 'hello', id: 1, token: adminToken() }));
  ws.send(JSON.stringify({ type: 'join', id: 2, room, role: 'reader', since: { epoch, seq: 0 } }));
  const joined = await until(() => received.find((m) => m.id === 2), 'the operator joined');
  ws.close();
  if (!joined.ops) throw new Error('no ops in ' + JSON.stringify(joined));
  return { ops: joined.ops, state, seq };
}
