// A real socket.io-client 4.6.2 connection that records every event it receives, for UI sync tests.
import { io } from 'socket.io-client';
import { adminToken, until, within } from './server.mjs';

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
      await within(new Promise((resolve, reject) => {
        this.socket.once('connect', resolve);
        this.socket.once('connect_error', reject);
      }), 10000, 'socket.io-client to connect');
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

  /** Resolves to [reason, details] when the connection drops (not by close()). */
  disconnected(ms = 10000) {
    return within(new Promise((resolve) => this.socket.once('disconnect', (reason, details) => resolve([reason, details]))),
      ms, `${this.socket.id} to be disconnected`);
  }

  close() {
    this.socket.close();
  }
}

/** The size in bytes of the Socket.IO frame socket.io-client sends for emit(event, payload). */
export function frameBytes(event, payload) {
  return Buffer.byteLength('42' + JSON.stringify([event, payload]));
}

/** A ui_change payload whose frame is exactly bytes long. */
export function uiChangeOfBytes(site, bytes, key = 'blob') {
  const empty = { site, mutation_name: key, new_val: '' };
  return { ...empty, new_val: 'x'.repeat(bytes - frameBytes('ui_change', empty)) };
}

export function leaderPayload(site, state, leader = { name: 'Ann Leader', id: 'user-ann', admin: false }) {
  return JSON.stringify({ site, full_state_snapshot: state, leader });
}

/** A site's room as the HTTP API shows it to an operator (the room belongs to UI sync). */
export async function roomState(server, site) {
  const res = await fetch(`${server.url}/api/rooms/${encodeURIComponent('uisync:' + site)}`,
    { headers: { Authorization: `Bearer ${adminToken()}` } });
  if (res.status !== 200) return null;
  return (await res.json()).state;
}

/**
 * A websocket-only Engine.IO client at the frame level (the ws package), for what
 * socket.io-client cannot do: send a payload too deep for JSON.stringify, or stop answering pings.
 */
export class RawEio {
  static async connect(server, { answerPings = true } = {}) {
    const { default: WebSocket } = await import('ws');
    const c = new RawEio();
    c.frames = [];
    c.ws = new WebSocket(`${server.wsUrl}/socket.io/?EIO=4&transport=websocket`);
    c.closed = new Promise((resolve) => c.ws.once('close', (code, reason) => resolve({ code, reason: String(reason), at: Date.now() })));
    c.ws.on('message', (m) => {
      const frame = String(m);
      if (frame === '2' && answerPings) c.ws.send('3');
      c.frames.push({ frame, taken: false });
    });
    await within(new Promise((resolve, reject) => {
      c.ws.once('open', resolve);
      c.ws.once('error', reject);
    }), 10000, 'a raw Engine.IO WebSocket to open');
    c.openedAt = Date.now();
    c.ws.send('40');
    await c.next((f) => f.startsWith('42["confirm_connect"'));
    return c;
  }

  /** Sends the event as socket.io-client would. */
  emit(event, payload) {
    this.ws.send('42' + JSON.stringify([event, payload]));
  }

  async next(pred) {
    const found = await until(() => this.frames.find((x) => !x.taken && pred(x.frame)), 'a raw frame');
    found.taken = true;
    return found.frame;
  }

  /** Resolves to { code, reason, at } once the server closes the connection. */
  closedWithin(ms = 10000) {
    return within(this.closed, ms, 'the server to close a raw Engine.IO WebSocket');
  }

  close() {
    this.ws.terminate();
  }
}
