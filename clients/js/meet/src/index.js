// Client side of livestate's OpenLifter live-meet protocol (seed 003).
//
// Keeps what the spec asks of a client: a local pending log (changes not yet acknowledged,
// numbered with local seqs), a canonical log (changes as the server numbered them), the
// local→server seq mapping (from UPDATE_ACK), buffering while offline, CLIENT_PULL on reconnect
// and answering SERVER_PULL by re-submitting everything it holds.
//
// The visible state is the canonical state with pending changes laid over it, so a change
// shows at once and is replaced by the server's verdict when it comes.

const OPEN = 1;

/** A tiny event emitter (browsers and Node alike). */
class Emitter {
  constructor() {
    this._handlers = new Map();
  }
  on(event, fn) {
    if (!this._handlers.has(event)) this._handlers.set(event, new Set());
    this._handlers.get(event).add(fn);
    return () => this.off(event, fn);
  }
  off(event, fn) {
    const set = this._handlers.get(event);
    if (set) set.delete(fn);
  }
  emit(event, payload) {
    const set = this._handlers.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(payload);
      } catch (e) {
        if (event !== 'error') this.emit('error', e);
      }
    }
  }
}

/** Formats a 9-digit meet id for people: 123 456 789. */
export function formatMeetId(id) {
  const s = String(id).replace(/\D/g, '');
  return s.length === 9 ? `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}` : String(id);
}

export class MeetClient extends Emitter {
  /**
   * @param {string} url ws:// or wss:// URL of the meet endpoint, e.g. ws://host:8080/meet
   * @param {object} [options] WebSocket (constructor; required in Node: the `ws` package),
   *   reconnect (default true), minDelay/maxDelay (ms, reconnect backoff), state (from
   *   exportState()), batchSize (updates per UPDATE_INIT, default 500)
   */
  constructor(url, options = {}) {
    super();
    this.url = url;
    this.WebSocket = options.WebSocket || globalThis.WebSocket;
    if (!this.WebSocket) throw new Error('no WebSocket implementation: pass options.WebSocket');
    this.reconnect = options.reconnect !== false;
    this.minDelay = options.minDelay ?? 250;
    this.maxDelay = options.maxDelay ?? 5000;
    this.batchSize = options.batchSize ?? 500;
    this.socket = null;
    this.offline = false;
    this.closed = false;
    this.delay = this.minDelay;
    this.waiters = [];
    this.needResync = true;
    this.pullTimer = null;
    this.rebuilding = false;
    this._reset();
    if (options.state) this._import(options.state);
  }

  _reset() {
    this.meetId = null;
    this.sessionToken = null;
    this.locationName = null;
    this.displayOnly = false;
    this.serverEpoch = null;
    this.lastServerSeq = 0;
    this.above = new Set();
    this.confirmed = new Map(); // key -> { value, seq }
    this.canonical = new Map(); // seq -> { updateKey, updateValue }
    this.pending = []; // { localSeqNum, updateKey, updateValue, afterServerSeqNum }
    // Local seqs start at the clock so a second browser of the same location never reuses one.
    this.nextLocalSeq = Date.now();
  }

  // ---- connection ----

  /** Opens the WebSocket (again); resolves once it is open. */
  connect() {
    this.closed = false;
    this.offline = false;
    if (this.socket && this.socket.readyState <= OPEN) return this._opened;
    const ws = new this.WebSocket(this.url);
    this.socket = ws;
    this._opened = new Promise((resolve, reject) => {
      ws.onopen = () => {
        if (this.socket !== ws) {
          ws.close(); // given up on (see onerror)
          return;
        }
        this.delay = this.minDelay;
        this._status();
        resolve();
        if (this.sessionToken) this._resync();
      };
      ws.onerror = (e) => {
        const opened = ws.readyState === OPEN;
        if (!opened) reject(new Error('cannot connect to ' + this.url));
        this.emit('error', e.error || e);
        // Node 22's built-in WebSocket reports a failed handshake with an error and no close
        // event (it stays CONNECTING): a socket that never opened is given up on here
        if (!opened) closed();
      };
    });
    this._opened.catch(() => {});
    ws.onmessage = (e) => this._receive(typeof e.data === 'string' ? e.data : String(e.data));
    const closed = () => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.needResync = true;
      for (const w of this.waiters.splice(0)) w.reject(new Error('connection closed'));
      this._status();
      if (this.reconnect && !this.offline && !this.closed) {
        const wait = this.delay;
        this.delay = Math.min(this.maxDelay, this.delay * 2);
        setTimeout(() => {
          if (!this.offline && !this.closed && !this.socket) this.connect();
        }, wait);
      }
    };
    ws.onclose = closed;
    return this._opened;
  }

  get online() {
    return !!this.socket && this.socket.readyState === OPEN;
  }

  /** Drops the connection and stays offline (changes keep buffering) until goOnline(). */
  goOffline() {
    this.offline = true;
    this.needResync = true;
    if (this.socket) this.socket.close();
  }

  goOnline() {
    return this.connect();
  }

  close() {
    this.closed = true;
    if (this.socket) this.socket.close();
  }

  _status() {
    this.emit('status', { online: this.online, needResync: this.needResync, pending: this.pending.length });
  }

  _send(msg) {
    if (!this.online) return false;
    this.socket.send(JSON.stringify(msg));
    return true;
  }

  _request(msg, ok, fail) {
    return new Promise((resolve, reject) => {
      if (!this._send(msg)) {
        reject(new Error('offline'));
        return;
      }
      this.waiters.push({ ok, fail, resolve, reject });
    });
  }

  // ---- auth ----

  /** CREATE_MEET; endpoints: [{ locationName, priority }]. Resolves to MEET_CREATED. */
  async createMeet({ locationName, password, endpoints, meetId }) {
    await this.connect();
    const msg = { msgType: 'CREATE_MEET', thisLocationName: locationName, password, endpoints };
    if (meetId) msg.meetId = String(meetId).replace(/\D/g, '');
    const created = await this._request(msg, ['MEET_CREATED'], ['MALFORMED_MESSAGE']);
    this._admitted(created);
    return created;
  }

  /** JOIN_MEET (displayOnly: read-only, locationName optional). Resolves to MEET_JOINED. */
  async joinMeet({ meetId, password, locationName, displayOnly = false }) {
    await this.connect();
    const msg = { msgType: 'JOIN_MEET', meetId: String(meetId).replace(/\D/g, ''), password, displayOnly };
    if (locationName) msg.locationName = locationName;
    const joined = await this._request(msg, ['MEET_JOINED'], ['JOIN_REJECTED', 'MALFORMED_MESSAGE']);
    this._admitted(joined);
    return joined;
  }

  /** Uses a session token obtained earlier (e.g. a display-only token in an overlay URL). */
  async resume({ sessionToken, displayOnly = false }) {
    this.sessionToken = sessionToken;
    this.meetId = String(sessionToken).split('.')[0];
    this.displayOnly = displayOnly;
    await this.connect();
    if (this.online) this._resync();
  }

  _admitted(m) {
    const sameMeet = this.meetId === m.meetId;
    if (!sameMeet) {
      const keepPending = !this.meetId; // changes made before going live belong to this meet
      const pending = keepPending ? this.pending : [];
      this._reset();
      this.pending = pending;
    }
    this.meetId = m.meetId;
    this.sessionToken = m.sessionToken;
    this.locationName = m.locationName || null;
    this.displayOnly = !!m.displayOnly;
    // A known epoch is kept: if the meet was lost and re-created, the pull detects it.
    if (!this.serverEpoch) this.serverEpoch = m.serverEpoch;
    this._resync();
  }

  // ---- updates ----

  /** A local change: shown at once, sent now or when back online. Returns its local seq. */
  update(updateKey, updateValue) {
    if (this.displayOnly) throw new Error('display-only client cannot update');
    const u = { localSeqNum: this.nextLocalSeq++, updateKey, updateValue, afterServerSeqNum: this.lastServerSeq };
    this.pending.push(u);
    this.emit('change', { key: updateKey, value: updateValue, source: 'local' });
    if (this.sessionToken && this.online) this._sendUpdates([u]);
    return u.localSeqNum;
  }

  /** The current value of a key (pending changes included). */
  get(key) {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i].updateKey === key) return this.pending[i].updateValue;
    }
    const c = this.confirmed.get(key);
    return c ? c.value : undefined;
  }

  /** Every key and value (pending changes included), as a plain object. */
  values() {
    const out = {};
    for (const [k, c] of this.confirmed) if (c.value !== null) out[k] = c.value;
    for (const u of this.pending) {
      if (u.updateValue === null) delete out[u.updateKey];
      else out[u.updateKey] = u.updateValue;
    }
    return out;
  }

  /** The canonical log: [{ serverSeqNum, updateKey, updateValue }] in seq order. */
  canonicalLog() {
    return [...this.canonical.entries()].sort((a, b) => a[0] - b[0])
      .map(([serverSeqNum, u]) => ({ serverSeqNum, ...u }));
  }

  _sendUpdates(list) {
    for (let i = 0; i < list.length; i += this.batchSize) {
      const updates = list.slice(i, i + this.batchSize);
      const msg = { msgType: 'UPDATE_INIT', sessionToken: this.sessionToken, updates };
      if (this.serverEpoch) msg.serverEpoch = this.serverEpoch;
      this._send(msg);
    }
  }

  /** After (re)connecting: send what was buffered, then pull what was missed. */
  _resync() {
    if (!this.online || !this.sessionToken) return;
    if (!this.displayOnly && this.pending.length) this._sendUpdates(this.pending);
    this.pull();
  }

  /** CLIENT_PULL from the last contiguous server seq this client holds. */
  pull() {
    const msg = { msgType: 'CLIENT_PULL', sessionToken: this.sessionToken, lastServerSeq: this.lastServerSeq };
    if (this.serverEpoch) msg.serverEpoch = this.serverEpoch;
    this._send(msg);
  }

  /** PUBLISH_MEET; resolves to PUBLISH_ACK. */
  publish({ returnEmail, oplCsv }) {
    return this._request({ msgType: 'PUBLISH_MEET', sessionToken: this.sessionToken, returnEmail, oplCsv },
      ['PUBLISH_ACK'], ['PUBLISH_REJECTED', 'INVALID_SESSION', 'MALFORMED_MESSAGE']);
  }

  // ---- what the server says ----

  _receive(text) {
    let m;
    try {
      m = JSON.parse(text);
    } catch (e) {
      this.emit('error', e);
      return;
    }
    this.emit('message', m);
    const w = this.waiters.find((x) => x.ok.includes(m.msgType) || x.fail.includes(m.msgType));
    switch (m.msgType) {
      case 'UPDATE_ACK': this._acked(m); break;
      case 'UPDATE_REJECTED': this._rejected(m); break;
      case 'UPDATE_RELAY': this._relayed(m); break;
      case 'SERVER_PULL': this._serverPull(m); break;
      case 'INVALID_SESSION':
        this.sessionToken = null;
        this.emit('invalidSession', m);
        break;
      default: break;
    }
    if (w) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      if (w.ok.includes(m.msgType)) w.resolve(m);
      else w.reject(Object.assign(new Error(m.reason || m.errMsg || m.msgType), { message: m.reason || m.errMsg || m.msgType, response: m }));
    } else if (m.msgType === 'MALFORMED_MESSAGE' || m.msgType === 'UNKNOWN_MESSAGE_TYPE') {
      this.emit('error', Object.assign(new Error(m.errMsg || m.msgType), { response: m }));
    }
  }

  /** Records server seq {@code seq} as held and advances the contiguous mark. */
  _held(seq) {
    if (seq <= this.lastServerSeq) return;
    this.above.add(seq);
    while (this.above.has(this.lastServerSeq + 1)) {
      this.above.delete(this.lastServerSeq + 1);
      this.lastServerSeq++;
    }
  }

  /** Applies a server-numbered value if it is newer than what the key holds. */
  _apply(updateKey, updateValue, seq) {
    if (!this.canonical.has(seq)) this.canonical.set(seq, { updateKey, updateValue });
    const c = this.confirmed.get(updateKey);
    if (c && c.seq >= seq) return false;
    this.confirmed.set(updateKey, { value: updateValue, seq });
    if (!this.pending.some((p) => p.updateKey === updateKey)) {
      this.emit('change', { key: updateKey, value: updateValue, source: 'server', serverSeqNum: seq });
    }
    return true;
  }

  _acked(m) {
    if (m.serverEpoch && !this.serverEpoch) this.serverEpoch = m.serverEpoch;
    for (const a of m.updateAcks || []) {
      const i = this.pending.findIndex((p) => p.localSeqNum === a.localSeqNum);
      if (i < 0) continue;
      const [u] = this.pending.splice(i, 1);
      this._apply(u.updateKey, u.updateValue, a.serverSeqNum);
      this._held(a.serverSeqNum);
      this.emit('ack', { localSeqNum: a.localSeqNum, serverSeqNum: a.serverSeqNum, key: u.updateKey });
    }
    this._afterBatch();
  }

  _rejected(m) {
    for (const r of m.updatesRejected || []) {
      const i = this.pending.findIndex((p) => p.localSeqNum === r.localSeqNum);
      const u = i >= 0 ? this.pending.splice(i, 1)[0] : null;
      const key = r.updateKey || (u && u.updateKey);
      if (r.conflict && key !== undefined && r.serverSeqNum !== undefined) {
        this._apply(key, r.winningValue, r.serverSeqNum);
      }
      if (key !== undefined) {
        this.emit('change', { key, value: this.get(key), source: 'server' });
      }
      this.emit('rejected', { ...r, key });
    }
    this._afterBatch();
  }

  _relayed(m) {
    if (m.snapshot) {
      this.confirmed.clear();
      this.canonical.clear();
      this.above.clear();
      this.lastServerSeq = 0;
    }
    for (const u of m.updatesRelayed || []) {
      this._apply(u.updateKey, u.updateValue, u.serverSeqNum);
      if (!m.snapshot) this._held(u.serverSeqNum);
    }
    if (m.pulled) {
      if (m.serverEpoch) this.serverEpoch = m.serverEpoch;
      this.lastServerSeq = Math.max(this.lastServerSeq, m.lastServerSeq);
      for (const s of [...this.above]) if (s <= this.lastServerSeq) this.above.delete(s);
      this.needResync = false;
      this.rebuilding = false;
      this.emit('synced', { lastServerSeq: this.lastServerSeq, serverEpoch: this.serverEpoch });
    }
    this._afterBatch();
  }

  /** A gap in the seqs (a relay missed): pull it, once things settle. */
  _afterBatch() {
    if (this.above.size === 0 || this.pullTimer || !this.online) {
      this._status();
      return;
    }
    this.needResync = true;
    this.pullTimer = setTimeout(() => {
      this.pullTimer = null;
      if (this.above.size > 0) this.pull();
    }, 50);
    this._status();
  }

  /**
   * The server lost this meet's state (its seqs are not ours): re-submit everything this client
   * holds as new pending changes made on top of nothing, under the server's new epoch, then
   * pull the rebuilt log.
   */
  _serverPull(m) {
    // Already answered: a second SERVER_PULL for the same rebuild (e.g. both the resent updates
    // and the pull of a reconnect asked) must not re-submit everything again.
    if (this.rebuilding && m.serverEpoch && m.serverEpoch === this.serverEpoch) return;
    const view = this.values();
    this.serverEpoch = m.serverEpoch || null;
    this.confirmed.clear();
    this.canonical.clear();
    this.above.clear();
    this.lastServerSeq = 0;
    this.rebuilding = true;
    this.needResync = true;
    if (!this.displayOnly) {
      this.pending = Object.entries(view).map(([updateKey, updateValue]) => ({
        localSeqNum: this.nextLocalSeq++, updateKey, updateValue, afterServerSeqNum: 0,
      }));
    }
    this.emit('serverPull', { serverEpoch: this.serverEpoch, resubmitted: this.pending.length });
    this._resync();
  }

  // ---- persistence ----

  /** Everything needed to continue after a page reload, as plain JSON. */
  exportState() {
    return {
      meetId: this.meetId, sessionToken: this.sessionToken, locationName: this.locationName,
      displayOnly: this.displayOnly, serverEpoch: this.serverEpoch, lastServerSeq: this.lastServerSeq,
      canonical: this.canonicalLog(), pending: this.pending, nextLocalSeq: this.nextLocalSeq,
    };
  }

  _import(s) {
    Object.assign(this, {
      meetId: s.meetId, sessionToken: s.sessionToken, locationName: s.locationName,
      displayOnly: !!s.displayOnly, serverEpoch: s.serverEpoch, pending: s.pending || [],
      nextLocalSeq: Math.max(s.nextLocalSeq || 0, Date.now()),
    });
    for (const u of s.canonical || []) this._apply(u.updateKey, u.updateValue, u.serverSeqNum);
    this.lastServerSeq = s.lastServerSeq || 0;
  }
}

export default MeetClient;
