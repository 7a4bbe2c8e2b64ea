// One room as a client sees it: the state the server confirmed up to a position (epoch, seq),
// with this client's pending changes laid over it in order. get() and state() read that view,
// so a change shows at once; the server's answer then confirms it (ack) or takes it back
// (rejection: the key rolls back to the winner's value). Ops are folded strictly in seq order,
// so `seq` always names a position whose every op has been applied: the one to resume from.
import { Emitter } from './emitter.js';

const sameValue = (a, b) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Why the server refused a change or a request: `code` as in the protocol, `winners` on a conflict. */
export class LivestateError extends Error {
  constructor(code, message, winners = {}) {
    super(message || code);
    this.name = 'LivestateError';
    this.code = code;
    this.winners = winners;
  }
}

/** The keys a change or op touches. */
function keysOf(change, confirmed) {
  if (change.reset) return [...confirmed.keys(), ...Object.keys(change.reset)];
  return [...Object.keys(change.set ?? {}), ...(change.delete ?? [])];
}

export class Room extends Emitter {
  constructor(client, name, { create, role, priority, token } = {}) {
    super();
    this.client = client;
    this.name = name;
    this.joinOptions = { create, role, priority, token };
    this.epoch = null;
    this.seq = 0;
    this.confirmed = new Map();
    /** Changes not yet answered, oldest first: { localSeq, baseSeq, set, delete, seq? }. */
    this.pending = [];
    /** Every localSeq at or below it has its answer (sent to the server as seenThrough). */
    this.answeredThrough = 0;
    /** Ops (and own acks) that came ahead of a gap, by seq. */
    this.ahead = new Map();
    this.waiting = new Map();
    this.notedPending = 0;
    this.joined = false;
    this.failed = null;
    this.leader = null;
    this.sealed = false;
    this.others = {};
    this.myPresence = undefined;
    this.ready = new Promise((resolve, reject) => {
      this._ready = { resolve, reject };
    });
    this.ready.catch(() => {});
    this.presence = {
      set: (data) => this._setPresence(data),
      get: () => ({ ...this.others }),
    };
  }

  /** The value of key in the local view (undefined if absent). */
  get(key) {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const c = this.pending[i];
      if (c.set && Object.prototype.hasOwnProperty.call(c.set, key)) return c.set[key];
      if (c.delete?.includes(key)) return undefined;
    }
    return this.confirmed.get(key);
  }

  /** The whole local view, keys in the room's order. */
  state() {
    const view = new Map(this.confirmed);
    for (const c of this.pending) {
      for (const [k, v] of Object.entries(c.set ?? {})) view.set(k, v);
      for (const k of c.delete ?? []) view.delete(k);
    }
    return Object.fromEntries(view);
  }

  /** Sets key to value (JSON; null deletes, as in the protocol). Resolves to { seq } on the ack. */
  set(key, value) {
    if (value === undefined) throw new TypeError('set needs a value: use delete() to remove a key');
    return value === null ? this.delete(key) : this._change({ [key]: value }, []);
  }

  /** Deletes keys. */
  delete(...keys) {
    return this._change({}, keys.flat());
  }

  /** Sets and deletes (null) several keys in one atomic change. */
  batch(values) {
    const set = {};
    const del = [];
    for (const [k, v] of Object.entries(values)) {
      if (v === null) del.push(k);
      else if (v !== undefined) set[k] = v;
    }
    return this._change(set, del);
  }

  /** Changes not yet answered by the server. */
  get pendingCount() {
    return this.pending.length;
  }

  publish(body, time) {
    return this.client._request({ type: 'publish', room: this.name, body, time });
  }

  /** Stream messages between from and to (epoch ms). */
  async history({ from, to } = {}) {
    const reply = await this.client._request({ type: 'history', room: this.name, from, to });
    return reply.messages;
  }

  /** Claims the room's leadership: resolves to { granted, previous } or { granted: false, leader }. */
  lead() {
    return this.client._request({ type: 'lead', room: this.name });
  }

  unlead() {
    return this.client._request({ type: 'unlead', room: this.name });
  }

  /** Leaves the room for good (on this client): no rejoin, its stored record is dropped. */
  leave() {
    this.client._leave(this);
  }

  /** Tells `pending` listeners when the number of unanswered changes moved. */
  _notePending() {
    if (this.pending.length === this.notedPending) return;
    this.notedPending = this.pending.length;
    this.emit('pending', this.notedPending);
  }

  _setPresence(data) {
    this.myPresence = data;
    if (this.joined) this.client._send({ type: 'presence', room: this.name, data });
  }

  _change(set, del) {
    if (!this.client.restored) throw new Error('the client is still loading its storage: await room.restored first');
    if (this.failed) throw this.failed;
    const change = { localSeq: this.client._takeLocalSeq(), baseSeq: this.seq };
    if (Object.keys(set).length) change.set = set;
    if (del.length) change.delete = del;
    const promise = new Promise((resolve, reject) => this.waiting.set(change.localSeq, { resolve, reject }));
    // a user who does not wait for the answer gets no unhandled rejection: the view rolls back
    promise.catch(() => {});
    this._apply(keysOf(change), 'local', () => this.pending.push(change));
    this.client._changed();
    return promise;
  }

  /** Runs alter() and emits a change event for each of keys whose view value it altered. */
  _apply(keys, origin, alter) {
    const unique = [...new Set(keys)];
    const before = unique.map((k) => this.get(k));
    alter();
    unique.forEach((key, i) => {
      const value = this.get(key);
      if (!sameValue(before[i], value)) this.emit('change', { key, value, seq: this.seq, origin });
    });
  }

  // --- from the server (called by the client) ---

  _joined(msg, snapshot, ops) {
    if (msg.resubmit) {
      this.client._resubmit(this, msg);
      return;
    }
    const keys = [...this.confirmed.keys(), ...Object.keys(snapshot ?? {}), ...(ops ?? []).flatMap((op) => keysOf(op, this.confirmed))];
    this._apply(keys, 'remote', () => {
      if (this.epoch !== msg.epoch || snapshot) {
        this.confirmed = new Map(Object.entries(snapshot ?? {}));
        this.seq = msg.seq;
        this.ahead.clear();
        // own changes the snapshot already holds
        this.pending = this.pending.filter((c) => !(c.seq <= msg.seq));
      }
      this.epoch = msg.epoch;
      for (const op of ops ?? []) this._take(op);
    });
    this.leader = msg.leader;
    this.sealed = msg.sealed;
    this.others = { ...msg.presence };
    delete this.others[this.client.clientId];
    this.joined = true;
    if (this.myPresence !== undefined) this._setPresence(this.myPresence);
    this.emit('presence', this.presence.get());
    this._ready.resolve(this);
  }

  _ops(ops) {
    const keys = ops.flatMap((op) => keysOf(op, this.confirmed));
    this._apply(keys, 'remote', () => ops.forEach((op) => this._take(op)));
  }

  /**
   * Takes one op (or an own ack, as the op it made) in, folds every op that is now next in seq
   * order, and drops the acked changes the folded state now holds. An ack and its op relayed in a
   * catch-up are the same seq: whichever comes first is folded, the other is dropped.
   */
  _take(op) {
    if (op.seq > this.seq && !this.ahead.has(op.seq)) this.ahead.set(op.seq, op);
    for (let next = this.ahead.get(this.seq + 1); next; next = this.ahead.get(this.seq + 1)) {
      this.ahead.delete(next.seq);
      this._fold(next);
      this.seq = next.seq;
    }
    this.pending = this.pending.filter((c) => !(c.seq <= this.seq));
  }

  _fold(op) {
    if (op.reset) {
      this.confirmed = new Map(Object.entries(op.reset));
      return;
    }
    for (const [k, v] of Object.entries(op.set ?? {})) this.confirmed.set(k, v);
    for (const k of op.delete ?? []) this.confirmed.delete(k);
  }

  _result(msg) {
    for (const { localSeq, seq } of msg.acks) {
      const change = this.pending.find((c) => c.localSeq === localSeq);
      if (!change) continue;
      change.seq = seq;
      this._apply(keysOf(change), 'remote', () => this._take({ ...change, seq }));
      this._settle(localSeq, (w) => w.resolve({ seq }));
    }
    for (const r of msg.rejects) {
      const change = this.pending.find((c) => c.localSeq === r.localSeq);
      if (!change) continue;
      this._apply(keysOf(change), 'rollback', () => {
        this.pending = this.pending.filter((c) => c !== change);
      });
      for (const [key, winner] of Object.entries(r.winners ?? {})) {
        const mine = change.set && key in change.set ? change.set[key] : undefined;
        this.emit('conflict', { key, mine, winner: winner.value, seq: winner.seq, writer: winner.writer });
      }
      this._settle(r.localSeq, (w) => w.reject(new LivestateError(r.code, r.message, r.winners)));
    }
    const oldest = this.pending.find((c) => c.seq === undefined);
    const through = oldest ? oldest.localSeq - 1 : Math.max(0, ...msg.acks.map((a) => a.localSeq), ...msg.rejects.map((r) => r.localSeq));
    this.answeredThrough = Math.max(this.answeredThrough, through);
  }

  _settle(localSeq, act) {
    const w = this.waiting.get(localSeq);
    this.waiting.delete(localSeq);
    if (w) act(w);
  }

  /** The request for these changes failed as a whole (bad_request): they are taken back. */
  _refused(localSeqs, error) {
    for (const localSeq of localSeqs) {
      const change = this.pending.find((c) => c.localSeq === localSeq);
      if (!change) continue;
      this._apply(keysOf(change), 'rollback', () => {
        this.pending = this.pending.filter((c) => c !== change);
      });
      this._settle(localSeq, (w) => w.reject(error));
    }
  }

  _presence(msg) {
    // the reply to this client's own presence, or its own record seen through another connection
    if (msg.clientId === undefined || msg.clientId === this.client.clientId) return;
    if (msg.data === null || msg.data === undefined) delete this.others[msg.clientId];
    else this.others[msg.clientId] = msg.data;
    this.emit('presence', this.presence.get());
  }

  _fail(error) {
    this.failed = error;
    this._ready.reject(error);
    this.emit('error', error);
  }

  // --- persistence ---

  _record() {
    return {
      epoch: this.epoch,
      seq: this.seq,
      state: [...this.confirmed],
      pending: this.pending.map(({ localSeq, baseSeq, set, delete: del, seq }) => ({ localSeq, baseSeq, set, delete: del, seq })),
      answeredThrough: this.answeredThrough,
      presence: this.myPresence,
    };
  }

  _restore(record) {
    this._apply([...record.state.map(([k]) => k), ...record.pending.flatMap((c) => keysOf(c))], 'remote', () => {
      this.epoch = record.epoch;
      this.seq = record.seq;
      this.confirmed = new Map(record.state);
      this.pending = record.pending.map((c) => ({ ...c, stored: true }));
      this.answeredThrough = record.answeredThrough ?? 0;
    });
    if (this.myPresence === undefined) this.myPresence = record.presence;
  }
}
