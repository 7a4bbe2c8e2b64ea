// Shared by the SDK tests: the real packaged server (LIVESTATE_JAR or server/target/livestate.jar,
// token mode), tokens, clients on the `ws` package, and the ops a room really holds.
import WebSocket from 'ws';
import { mintToken, until } from '../../../../e2e/lib/server.mjs';
import { roomOps } from '../../../../e2e/lib/room-ops.mjs';

const tokens = new Map();

/** A token for sub (cached: minting runs the jar), on rooms matching `sdk-*`. */
export function token(sub, { role = 'writer', priority = 0 } = {}) {
  const key = `${sub}/${role}/${priority}`;
  if (!tokens.has(key)) tokens.set(key, mintToken({ sub, rooms: ['sdk-*'], role, priority }));
  return tokens.get(key);
}

/** Every op the room holds, its state and seq, read by an operator. */
export const opsOf = (server, room) => roomOps(server, room, WebSocket);

export { until, WebSocket };
