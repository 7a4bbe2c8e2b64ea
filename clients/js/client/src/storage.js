// Where a client keeps what must survive a restart or a page reload: its identity (client id and
// resume secret), the next localSeq, and each room's position, state and pending changes. A
// storage holds one JSON document: load() resolves to it (or undefined), save(doc) resolves once
// it is written. The client never has two saves running at once and coalesces the ones between.

/** Keeps the document in this process only (the default): nothing survives a restart. */
export function memoryStorage() {
  let text;
  return {
    async load() {
      return text === undefined ? undefined : JSON.parse(text);
    },
    async save(doc) {
      text = JSON.stringify(doc);
    },
  };
}

/**
 * Keeps the document in a JSON file (Node). Each save writes a temporary file and renames it
 * over the old one, so a crash mid-write leaves the previous document whole.
 */
export function fileStorage(path) {
  const fs = () => import('node:fs/promises');
  return {
    async load() {
      const { readFile } = await fs();
      try {
        return JSON.parse(await readFile(path, 'utf8'));
      } catch (e) {
        if (e.code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async save(doc) {
      const { writeFile, rename } = await fs();
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(doc));
      await rename(temporary, path);
    },
  };
}

/**
 * Keeps the document in the browser's IndexedDB, database `database`, under `key`: give each
 * client of one origin its own key (two tabs sharing one would send under one client id).
 */
export function indexedDbStorage(key = 'default', database = 'livestate') {
  let opened;
  const db = () => {
    opened ??= new Promise((resolve, reject) => {
      const request = globalThis.indexedDB.open(database, 1);
      request.onupgradeneeded = () => request.result.createObjectStore('clients');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return opened;
  };
  const run = async (mode, act) => {
    const tx = (await db()).transaction('clients', mode);
    const request = act(tx.objectStore('clients'));
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };
  return {
    load: () => run('readonly', (store) => store.get(key)),
    save: (doc) => run('readwrite', (store) => store.put(doc, key)).then(() => undefined),
  };
}
