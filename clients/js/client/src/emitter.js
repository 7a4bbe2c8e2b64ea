// A tiny event emitter for browsers and Node alike. A listener that throws does not stop the
// others or the client: its error is rethrown on its own, where the runtime reports it.

export class Emitter {
  constructor() {
    this._listeners = new Map();
  }

  /** Adds a listener; returns a function that removes it. */
  on(event, fn) {
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(fn);
    return () => this.off(event, fn);
  }

  off(event, fn) {
    this._listeners.get(event)?.delete(fn);
  }

  emit(event, payload) {
    for (const fn of [...(this._listeners.get(event) ?? [])]) {
      try {
        fn(payload);
      } catch (e) {
        setTimeout(() => {
          throw e;
        });
      }
    }
  }
}
