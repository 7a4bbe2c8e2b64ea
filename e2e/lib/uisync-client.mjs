// A real socket.io-client 4.6.2 connection that records every event it receives, for UI sync tests.
import { io } from 'socket.io-client';
import { until } from './server.mjs';

export const TRANSPORTS = [
  ['default transports (polling, then upgrade)', undefined],
  ['websocket only', ['websocket']],
];

export class UiClient {
  constructor(url, { transports, auth } = {}) {
    this.socket = io(url, { transports, auth, forceNew: true, reconnection: false });
    this.events = [];
    this.socket.onAny((event, payload) => this.events.push({ event, payload, taken: false, at: Date.now() }));
  }

  static async connect(url, opts) {
    const c = new UiClient(url, opts);
    await c.connected();
    return c;
  }

  async connected() {
    if (!this.socket.connected) {
      await new Promise((resolve, reject) => {
        this.socket.once('connect', resolve);
        this.socket.once('connect_error', reject);
      });
    }
    await this.next('confirm_connect');
    return this;
  }

  emit(event, payload) {
    if (payload === undefined) this.socket.emit(event);
    else this.socket.emit(event, payload);
  }

  /** The first not yet taken event of that name matching pred; waits for it. */
  async next(event, pred = () => true, ms = 10000) {
    return (await this.nextArrival(event, pred, ms)).payload;
  }

  /** Like next, with when it arrived (Date.now()) and its place among all events received. */
  async nextArrival(event, pred = () => true, ms = 10000) {
    const found = await until(
      () => this.events.find((x) => !x.taken && x.event === event && pred(x.payload)),
      `${event} on ${this.socket.id}`, ms);
    found.taken = true;
    return { payload: found.payload, at: found.at, index: this.events.indexOf(found) };
  }

  all(event) {
    return this.events.filter((x) => x.event === event).map((x) => x.payload);
  }

  /** A round trip through this client's own event queue on the server. */
  async ping() {
    const before = this.all('my_pong').length;
    this.emit('my_ping');
    await until(() => this.all('my_pong').length > before, 'my_pong');
  }

  close() {
    this.socket.close();
  }
}

export function leaderPayload(site, state, leader = { name: 'Ann Leader', id: 'user-ann', admin: false }) {
  return JSON.stringify({ site, full_state_snapshot: state, leader });
}

export async function roomState(server, site) {
  const res = await fetch(`${server.url}/api/rooms/${encodeURIComponent('uisync:' + site)}`);
  if (res.status !== 200) return null;
  return (await res.json()).state;
}
