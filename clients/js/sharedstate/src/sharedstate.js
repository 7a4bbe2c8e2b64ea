// SharedStateClient: a live local copy of server-side item collections (livestate shared-state
// protocol, compatible with the original shared-state server). Works in browsers and Node 18+
// (in Node without a global WebSocket, the `ws` package is loaded, or pass options.WebSocket).

/** The normal form of a collection path: /app/service/collection (no trailing or double slash). */
export function normalisePath(path) {
  const parts = String(path).split('/').filter((s) => s !== '' && s !== '.');
  return '/' + parts.join('/');
}

const same = (a, b) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** A local copy of one collection, kept in sync with the server while it is acquired. */
export class Dataset {
  constructor(client, path) {
    this._client = client;
    this._path = path;
    this._items = new Map();
    this._callbacks = [];
    this._synced = false;
  }

  get path() { return this._path; }
  get size() { return this._items.size; }
  /** True once the collection's full state has arrived at least once. */
  get synced() { return this._synced; }

  get_item(id) { return this._items.get(id); }
  has_item(id) { return this._items.has(id); }
  get_items() { return [...this._items.values()]; }

  /** Asks the server to change the collection; the change arrives back as a notification. */
  update({ remove = [], insert = [], reset = false } = {}) {
    return this._client._request('PUT', this._path, { remove, insert, reset });
  }

  add_callback(handler) {
    const handle = { handler };
    this._callbacks.push(handle);
    return handle;
  }

  remove_callback(handle) {
    const i = this._callbacks.indexOf(handle);
    if (i >= 0) this._callbacks.splice(i, 1);
  }

  /** Applies a notification {remove, insert, reset}; reports one diff per changed item. */
  _apply({ remove = [], insert = [], reset = false } = {}) {
    const diffs = new Map();
    const record = (id, oldItem, newItem) => {
      const prev = diffs.get(id);
      diffs.set(id, { id, new: newItem, old: prev ? prev.old : oldItem });
    };
    if (reset) {
      const next = new Map();
      for (const item of insert) next.set(item.id, item);
      for (const [id, old] of this._items) {
        if (!next.has(id)) record(id, old, undefined);
      }
      for (const [id, item] of next) {
        const old = this._items.get(id);
        if (old === undefined || !same(old, item)) record(id, old, item);
      }
      this._items = next;
      this._synced = true;
    } else {
      for (const id of remove) {
        if (this._items.has(id)) {
          record(id, this._items.get(id), undefined);
          this._items.delete(id);
        }
      }
      for (const item of insert) {
        record(item.id, this._items.get(item.id), item);
        this._items.set(item.id, item);
      }
    }
    const list = [...diffs.values()].filter((d) => !(d.old === undefined && d.new === undefined));
    if (list.length === 0) return;
    for (const { handler } of [...this._callbacks]) {
      try {
        handler(list);
      } catch (e) {
        console.error('sharedstate: a dataset callback failed', e);
      }
    }
  }
}

/**
 * One WebSocket to a shared-state server, multiplexing every acquired collection. Reconnects
 * with backoff after the connection drops, resubscribes, and reports what changed while away
 * as ordinary diffs.
 */
export class SharedStateClient {
  constructor(url, options = {}) {
    this.url = url;
    this.options = { minDelay: 250, maxDelay: 5000, reconnect: true, ...options };
    this._ws = null;
    this._open = false;
    this._closed = false;
    this._attempt = 0;
    this._timer = null;
    this._tunnel = 0;
    this._pending = new Map(); // tunnel -> resolve
    this._queue = []; // messages waiting for a connection
    this._datasets = new Map(); // path -> {ds, handles:Set}
    this._handles = new Map(); // handle -> path
    this._subsScheduled = false;
    this._connecting = null;
    this._listeners = { connect: [], disconnect: [] };
  }

  get connected() { return this._open; }

  /** Listens to 'connect' or 'disconnect'. */
  on(event, fn) {
    this._listeners[event].push(fn);
    return this;
  }

  /** Opens the connection (and keeps it open); resolves once connected the first time. */
  connect() {
    this._closed = false;
    if (!this._connecting) {
      this._connecting = new Promise((resolve) => { this._firstOpen = resolve; });
      this._dial();
    }
    return this._connecting;
  }

  /** Closes for good: no reconnect. */
  close() {
    this._closed = true;
    clearTimeout(this._timer);
    if (this._ws) this._ws.close(1000, 'client closed');
  }

  /** A dataset for the collection at path, kept in sync until every handle is released. */
  acquire(path) {
    const p = normalisePath(path);
    let entry = this._datasets.get(p);
    if (!entry) {
      entry = { ds: new Dataset(this, p), handles: new Set() };
      this._datasets.set(p, entry);
      this._scheduleSubs();
    }
    const handle = Symbol(p);
    entry.handles.add(handle);
    this._handles.set(handle, p);
    return [handle, entry.ds];
  }

  release(handle) {
    const p = this._handles.get(handle);
    if (p === undefined) return;
    this._handles.delete(handle);
    const entry = this._datasets.get(p);
    entry.handles.delete(handle);
    if (entry.handles.size === 0) {
      this._datasets.delete(p);
      entry.ds._callbacks = [];
      this._scheduleSubs();
    }
  }

  /** GET of any path: '/', '/clock', '/subs' or a collection. Resolves {ok, data}. */
  get(path) { return this._request('GET', path); }

  /** PUT of any path. Resolves {ok, data}. */
  update(path, arg) { return this._request('PUT', path, arg); }

  _request(cmd, path, arg) {
    const tunnel = ++this._tunnel;
    const msg = JSON.stringify({ type: 'REQUEST', cmd, path, arg, tunnel });
    return new Promise((resolve) => {
      this._pending.set(tunnel, resolve);
      if (this._open) this._ws.send(msg);
      else this._queue.push([tunnel, msg]);
    });
  }

  _scheduleSubs() {
    if (this._subsScheduled) return;
    this._subsScheduled = true;
    queueMicrotask(() => {
      this._subsScheduled = false;
      if (this._open) this._sendSubs();
    });
  }

  _sendSubs() {
    const insert = [...this._datasets.keys()].map((p) => [p, {}]);
    const tunnel = ++this._tunnel;
    this._ws.send(JSON.stringify({ type: 'REQUEST', cmd: 'PUT', path: '/subs', arg: { insert, reset: true }, tunnel }));
  }

  async _dial() {
    let Impl = this.options.WebSocket || globalThis.WebSocket;
    if (!Impl) Impl = (await import('ws')).default;
    if (this._closed) return;
    let ws;
    try {
      ws = new Impl(this.url);
    } catch (e) {
      this._retry();
      return;
    }
    this._ws = ws;
    let ended = false;
    ws.onopen = () => {
      if (ended) {
        ws.close();
        return;
      }
      this._open = true;
      this._attempt = 0;
      if (this._datasets.size > 0) this._sendSubs();
      const queued = this._queue;
      this._queue = [];
      for (const [, msg] of queued) ws.send(msg);
      if (this._firstOpen) { this._firstOpen(); this._firstOpen = null; }
      this._listeners.connect.forEach((fn) => fn());
    };
    ws.onmessage = (ev) => this._onMessage(typeof ev.data === 'string' ? ev.data : String(ev.data));
    const end = () => {
      if (ended) return;
      ended = true;
      const was = this._open;
      this._open = false;
      this._ws = null;
      // requests in flight may or may not have been applied: answer them as lost
      const queuedTunnels = new Set(this._queue.map(([t]) => t));
      for (const [tunnel, resolve] of this._pending) {
        if (!queuedTunnels.has(tunnel)) {
          this._pending.delete(tunnel);
          resolve({ ok: false, data: 'connection lost before the reply' });
        }
      }
      if (was) this._listeners.disconnect.forEach((fn) => fn());
      this._retry();
    };
    ws.onclose = end;
    // Node 22's built-in WebSocket reports a failed handshake with an error and no close event
    // (it stays CONNECTING): a socket that never opened is given up on here
    ws.onerror = () => {
      if (ws.readyState !== 1) end();
    };
  }

  _retry() {
    if (this._closed || !this.options.reconnect) return;
    const { minDelay, maxDelay } = this.options;
    const base = Math.min(maxDelay, minDelay * 2 ** this._attempt++);
    const delay = base / 2 + Math.random() * base / 2;
    this._timer = setTimeout(() => this._dial(), delay);
  }

  _onMessage(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return;
    }
    if (msg.type === 'REPLY') {
      const resolve = this._pending.get(msg.tunnel);
      if (resolve) {
        this._pending.delete(msg.tunnel);
        resolve({ ok: msg.ok, data: msg.data });
      }
    } else if (msg.type === 'MESSAGE' && msg.cmd === 'NOTIFY') {
      const entry = this._datasets.get(normalisePath(msg.path));
      if (entry) entry.ds._apply(msg.data || {});
    }
  }
}

export default SharedStateClient;
