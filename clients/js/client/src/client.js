// The connection side of the SDK: one WebSocket to the native protocol, hello/welcome with the
// resume secret, joining every room (from its last position), sending pending changes once they
// are stored, reconnecting with backoff and jitter, refreshing the token, and keeping the
// storage document up to date. Room state lives in room.js.
import { Emitter } from './emitter.js';
import { LivestateError, Room } from './room.js';
import { memoryStorage } from './storage.js';

const OPEN = 1;
/** The most changes one submit carries (the server takes bursts of twice its per-second limit). */
const BATCH = 200;

function randomId() {
  const bytes = new Uint8Array(9);
  // an id, not a secret (the server's resume secret guards it): Node 18 has no global crypto
  if (globalThis.crypto) globalThis.crypto.getRandomValues(bytes);
  else bytes.forEach((_, i) => (bytes[i] = Math.floor(Math.random() * 256)));
  return 'u-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class LivestateClient extends Emitter {
  /**
   * @param {string} url the native endpoint, e.g. ws://localhost:8080/ws
   * @param {object} [options] clientId, token (a string, or a function returning one or a promise
   *   of one: called at every connect and before the token expires), WebSocket (constructor; in
   *   Node before 22 pass the `ws` package's), storage (memoryStorage() unless given),
   *   minDelay/maxDelay (reconnect backoff, ms), pingInterval (ms; a connection silent for two
   *   is dropped and made again), refreshAhead (ms before expiry to refresh the token)
   */
  constructor(url, options = {}) {
    super();
    this.url = url;
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (!this.WebSocket) throw new Error('no WebSocket implementation: pass options.WebSocket (the ws package in Node)');
    this.token = options.token;
    this.storage = options.storage ?? memoryStorage();
    this.minDelay = options.minDelay ?? 250;
    this.maxDelay = options.maxDelay ?? 10000;
    this.pingInterval = options.pingInterval ?? 20000;
    this.refreshAhead = options.refreshAhead ?? 30000;
    this.clientId = options.clientId ?? null;
    this.resume = null;
    this.nextLocalSeq = 1;
    this.rooms = new Map();
    this.status = 'offline';
    this.socket = null;
    this.closed = false;
    this.attempt = 0;
    this.requests = new Map();
    this.nextId = 1;
    this.timers = new Set();
    this.restored = false;
    this.storedRooms = {};
    this.saving = Promise.resolve();
    this.saveQueued = false;
    this._watchNetwork();
    this.loaded = this.storage.load().then((doc) => this._restore(doc));
    this.loaded.then(() => this._connect(), (e) => this.emit('error', e));
  }

  /** The room `name` (one object per name): joined now or as soon as the client is online. */
  room(name, options = {}) {
    let room = this.rooms.get(name);
    if (room) return room;
    room = new Room(this, name, options);
    room.restored = this.loaded.then(() => room);
    this.rooms.set(name, room);
    if (this.restored) this._adopt(room);
    return room;
  }

  /** Resolves once everything changed so far is in the storage. */
  flush() {
    return this._persist();
  }

  /** Closes the connection for good; pending changes stay in the storage for the next client. */
  close() {
    this.closed = true;
    this.timers.forEach(clearTimeout);
    this._unwatchNetwork?.();
    this._drop();
    this._setStatus('offline');
  }

  // --- connection ---

  _connect() {
    if (this.closed || this.socket || this.networkDown) return;
    this._setStatus('connecting');
    const ws = new this.WebSocket(this.url);
    this.socket = ws;
    ws.onopen = () => this._hello();
    ws.onmessage = (e) => this._receive(typeof e.data === 'string' ? e.data : String(e.data));
    ws.onclose = () => this._lost();
    ws.onerror = () => {};
  }

  /** Forgets the socket now (a close handshake can take long when the network is gone). */
  _drop() {
    const ws = this.socket;
    if (!ws) return;
    this.socket = null;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try {
      ws.close();
    } catch {
      // closing a socket that never opened: nothing to undo
    }
    clearInterval(this.pinger);
    for (const room of this.rooms.values()) {
      room.joined = false;
      room.submitting = false;
      room.parts = null;
      for (const c of room.pending) c.sent = false;
    }
    for (const [, r] of this.requests) if (r.reject) r.reject(new LivestateError('offline', 'the connection closed before the answer came'));
    this.requests.clear();
  }

  _lost() {
    this._drop();
    this._setStatus('offline');
    if (this.closed) return;
    const ceiling = Math.min(this.maxDelay, this.minDelay * 2 ** this.attempt++);
    this._later(ceiling / 2 + (Math.random() * ceiling) / 2, () => this._connect());
  }

  async _hello() {
    const socket = this.socket;
    const hello = { type: 'hello' };
    try {
      const token = await this._token();
      if (token) hello.token = token;
    } catch (e) {
      this.emit('error', e);
      this._lost();
      return;
    }
    if (this.socket !== socket) return;
    if (!hello.token && this.clientId) hello.clientId = this.clientId;
    if (!hello.token && this.resume) hello.resume = this.resume;
    this._request(hello).then((w) => this._welcome(w), (e) => {
      this.emit('error', e);
      this._lost();
    });
    this.lastHeard = Date.now();
    this.pinger = setInterval(() => {
      if (Date.now() - this.lastHeard > 2 * this.pingInterval) this._lost();
      else this._send({ type: 'ping' });
    }, this.pingInterval);
  }

  _welcome(w) {
    this.attempt = 0;
    if (w.clientId !== this.clientId || w.resume) {
      this.clientId = w.clientId;
      this.resume = w.resume ?? this.resume;
      this._persist();
    }
    if (w.expires) this._scheduleRefresh(w.expires);
    this._setStatus('resyncing');
    for (const room of this.rooms.values()) this._join(room);
    this._checkOnline();
  }

  async _token() {
    return typeof this.token === 'function' ? this.token() : this.token;
  }

  _scheduleRefresh(expires) {
    if (typeof this.token !== 'function') return;
    const left = expires - Date.now();
    const socket = this.socket;
    this._later(Math.max(0, left > 2 * this.refreshAhead ? left - this.refreshAhead : left / 2), async () => {
      if (this.socket !== socket) return;
      try {
        const reply = await this._request({ type: 'refresh', token: await this._token() });
        this._scheduleRefresh(reply.expires);
      } catch (e) {
        this.emit('error', e);
      }
    });
  }

  _join(room) {
    if (room.failed || !this._online()) return;
    const { create, role, priority, token } = room.joinOptions;
    const join = { type: 'join', room: room.name, role, priority, token, create };
    if (room.epoch) join.since = { epoch: room.epoch, seq: room.seq };
    this._request(join, room).then(undefined, (e) => {
      if (e.code === 'unknown_room' || e.code === 'forbidden' || e.code === 'bad_request') room._fail(e);
      else if (e.code !== 'offline') this._later(1000, () => this._join(room));
    });
  }

  _online() {
    return this.socket?.readyState === OPEN;
  }

  _checkOnline() {
    if (this.status === 'resyncing' && [...this.rooms.values()].every((r) => r.joined || r.failed)) {
      this._setStatus('online');
    }
  }

  _setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.emit('status', status);
  }

  _later(ms, fn) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** In a browser, follows the network: no reconnect attempts while it is down, one as it returns. */
  _watchNetwork() {
    const target = globalThis.window;
    if (!target?.addEventListener || !globalThis.navigator || !('onLine' in globalThis.navigator)) return;
    const offline = () => {
      this.networkDown = true;
      if (this.socket) this._lost();
    };
    const online = () => {
      this.networkDown = false;
      this.attempt = 0;
      this._connect();
    };
    this.networkDown = !globalThis.navigator.onLine;
    target.addEventListener('offline', offline);
    target.addEventListener('online', online);
    this._unwatchNetwork = () => {
      target.removeEventListener('offline', offline);
      target.removeEventListener('online', online);
    };
  }

  // --- messages ---

  _send(msg) {
    if (!this._online()) return false;
    this.socket.send(JSON.stringify(msg));
    return true;
  }

  /** Sends msg with an id; resolves with the reply, rejects with a LivestateError. */
  _request(msg, room) {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      if (!this._send({ ...msg, id })) {
        reject(new LivestateError('offline', 'not connected'));
        return;
      }
      this.requests.set(id, { resolve, reject, room });
    });
  }

  _receive(text) {
    this.lastHeard = Date.now();
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    const request = msg.id !== undefined ? this.requests.get(msg.id) : undefined;
    if (request) this.requests.delete(msg.id);
    const room = this.rooms.get(msg.room);
    switch (msg.type) {
      case 'error':
        if (request) request.reject(new LivestateError(msg.code, msg.message));
        else if (room && msg.code === 'room_failed') this._reset(room);
        else this.emit('error', new LivestateError(msg.code, msg.message));
        return;
      case 'joined':
        if (request?.room) this._joinedPart(request.room, msg);
        return;
      case 'snapshot-part':
        if (room?.parts) this._joinedPart(room, msg);
        return;
      case 'ops':
        if (room?.parts) this._joinedPart(room, msg);
        else if (room?.joined) this._took(room, () => room._ops(msg.ops));
        return;
      case 'result':
        if (room) this._took(room, () => room._result(msg));
        request?.resolve(msg);
        return;
      case 'presence':
        if (request) request.resolve(msg);
        else room?._presence(msg);
        return;
      case 'leader':
        if (room) room.leader = msg.leader;
        room?.emit('leader', { leader: msg.leader, previous: msg.previous });
        return;
      case 'message':
        room?.emit('message', msg.message);
        return;
      case 'sealed':
        if (room) room.sealed = true;
        room?.emit('sealed', {});
        return;
      default:
        request?.resolve(msg);
    }
  }

  /** A joined reply, or one of its parts: applied whole once the last part is in. */
  _joinedPart(room, msg) {
    if (msg.type === 'joined') room.parts = { msg, snapshot: msg.snapshot && { ...msg.snapshot }, ops: msg.ops && [...msg.ops] };
    else if (msg.type === 'snapshot-part') Object.assign(room.parts.snapshot, msg.snapshot);
    else room.parts.ops.push(...msg.ops);
    if (msg.more) return;
    const { msg: joined, snapshot, ops } = room.parts;
    room.parts = null;
    this._took(room, () => room._joined(joined, snapshot, ops));
    this._checkOnline();
  }

  /** After the server changed a room: store it, then send what is waiting. */
  _took(room, act) {
    act();
    this._changed();
  }

  /** The server dropped the room (its store failed): join it again shortly. */
  _reset(room) {
    room.joined = false;
    for (const c of room.pending) c.sent = false;
    this._later(1000, () => this._join(room));
  }

  // --- changes ---

  _takeLocalSeq() {
    return this.nextLocalSeq++;
  }

  /** Something changed: store it, then send each joined room's changes that are stored and unsent. */
  _changed() {
    for (const room of this.rooms.values()) room._notePending();
    return this._persist().then(() => this._sendPending());
  }

  /**
   * One submit per room at a time: a refused one (rate_limited, room_failed) is sent again before
   * anything after it, so the server decides the changes in the order they were made.
   */
  _sendPending() {
    for (const room of this.rooms.values()) {
      if (!room.joined || room.submitting) continue;
      const batch = room.pending.filter((c) => c.stored && !c.sent && c.seq === undefined).slice(0, BATCH);
      if (!batch.length) continue;
      const changes = batch.map(({ localSeq, baseSeq, set, delete: del }) => ({ localSeq, baseSeq, set, delete: del }));
      const submit = { type: 'submit', room: room.name, changes };
      if (room.answeredThrough > 0) submit.seenThrough = room.answeredThrough;
      batch.forEach((c) => {
        c.sent = true;
      });
      room.submitting = true;
      this._request(submit).then(() => {
        room.submitting = false;
        this._sendPending();
      }, (e) => {
        room.submitting = false;
        this._submitFailed(room, batch, e);
      });
    }
  }

  _submitFailed(room, batch, error) {
    if (error.code === 'bad_request') {
      room._refused(batch.map((c) => c.localSeq), error);
      this._changed();
      return;
    }
    // rate_limited, room_failed, offline: nothing of the request was done; send again later
    batch.forEach((c) => {
      c.sent = false;
    });
    if (error.code !== 'offline') this._later(1000, () => this._sendPending());
  }

  /**
   * The server lost the room's state: submit what this client holds (its confirmed state, then
   * its pending changes, under new localSeqs and baseSeq 0 so the room's policy decides between
   * the clients that re-submit), then join afresh for a snapshot of the rebuilt room.
   */
  _resubmit(room, joined) {
    const held = Object.fromEntries([...room.confirmed].filter(([, v]) => v !== null));
    const renumbered = room.pending.filter((c) => c.seq === undefined).map((c) => {
      const fresh = { ...c, localSeq: this._takeLocalSeq(), baseSeq: 0, sent: false, stored: false };
      const w = room.waiting.get(c.localSeq);
      room.waiting.delete(c.localSeq);
      if (w) room.waiting.set(fresh.localSeq, w);
      return fresh;
    });
    const restate = Object.keys(held).length ? [{ localSeq: this._takeLocalSeq(), baseSeq: 0, set: held }] : [];
    room.pending = [...restate, ...renumbered];
    room.confirmed = new Map();
    room.epoch = null;
    room.seq = 0;
    room.answeredThrough = 0;
    this.emit('resubmit', { room: room.name, epoch: joined.epoch });
    this._persist().then(() => {
      const changes = room.pending.map(({ localSeq, baseSeq, set, delete: del }) => ({ localSeq, baseSeq, set, delete: del }));
      room.pending.forEach((c) => {
        c.sent = true;
      });
      this._request({ type: 'submit', room: room.name, changes }).then(() => {
        this._request({ type: 'leave', room: room.name }).then(() => this._join(room), () => {});
      }, () => {});
    });
  }

  _leave(room) {
    room._refused(room.pending.map((c) => c.localSeq), new LivestateError('left', `left room ${room.name}`));
    this.rooms.delete(room.name);
    delete this.storedRooms[room.name];
    if (room.joined) this._send({ type: 'leave', room: room.name });
    this._persist();
  }

  // --- storage ---

  _restore(doc) {
    if (doc) {
      this.clientId ??= doc.clientId;
      if (doc.clientId === this.clientId) this.resume = doc.resume ?? null;
      this.nextLocalSeq = Math.max(this.nextLocalSeq, doc.nextLocalSeq ?? 1);
      this.storedRooms = doc.rooms ?? {};
    }
    if (!this.clientId && !this.token) this.clientId = randomId();
    this.restored = true;
    for (const room of this.rooms.values()) this._adopt(room);
  }

  _adopt(room) {
    const record = this.storedRooms[room.name];
    if (record) room._restore(record);
    if (this.status === 'resyncing' || this.status === 'online') {
      this._setStatus('resyncing');
      this._join(room);
    }
  }

  /** Saves the document; saves asked for while one runs become one save after it. */
  _persist() {
    if (!this.saveQueued) {
      this.saveQueued = true;
      this.saving = this.saving.then(async () => {
        this.saveQueued = false;
        const covered = [...this.rooms.values()].flatMap((r) => r.pending);
        await this.storage.save(this._document());
        covered.forEach((c) => {
          c.stored = true;
        });
      }).catch((e) => this.emit('error', e));
    }
    return this.saving;
  }

  _document() {
    const rooms = { ...this.storedRooms };
    for (const room of this.rooms.values()) rooms[room.name] = room._record();
    this.storedRooms = rooms;
    return { version: 1, clientId: this.clientId, resume: this.resume, nextLocalSeq: this.nextLocalSeq, rooms };
  }
}
