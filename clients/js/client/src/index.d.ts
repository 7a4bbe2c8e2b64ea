// Types of @livestate/client, the native-protocol SDK (docs/sdk-js.md).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Status = 'connecting' | 'online' | 'offline' | 'resyncing';

/** Where a client keeps its identity, room positions, states and pending changes: one JSON document. */
export interface Storage {
  load(): Promise<object | undefined>;
  save(doc: object): Promise<void>;
}
/** In this process only (the default). */
export function memoryStorage(): Storage;
/** A JSON file (Node), replaced whole on each save. */
export function fileStorage(path: string): Storage;
/** The browser's IndexedDB; one key per client (per tab, say). */
export function indexedDbStorage(key?: string, database?: string): Storage;

export interface RoomConfig {
  policy?: 'last-writer-wins' | 'first-writer-wins' | 'priority';
  durable?: boolean;
  retainOps?: number;
  retainSeconds?: number;
  retainBytes?: number;
  writeAccess?: 'writers' | 'leader-only';
  takeover?: 'allow' | 'refuse';
  presenceTimeoutSeconds?: number;
  streamTtlSeconds?: number;
}

export interface RoomOptions {
  /** Create the room if it does not exist (true, or its config). */
  create?: boolean | RoomConfig;
  role?: 'writer' | 'reader' | 'leader';
  /** Decides conflicts in `priority` rooms (open mode; a token's grant decides otherwise). */
  priority?: number;
  /** A token for this room only. */
  token?: string;
}

export interface ClientOptions {
  /** Open mode: the id to write as (generated and stored if not given). Token mode: the token's sub. */
  clientId?: string;
  /** A token, or a function giving one: called at every connect and before the token expires. */
  token?: string | (() => string | Promise<string>);
  /** A WebSocket constructor: the browser's by default; in Node the `ws` package's. */
  WebSocket?: unknown;
  storage?: Storage;
  /** Reconnect backoff bounds, ms (250 and 10000): each wait is half to all of min·2^attempt. */
  minDelay?: number;
  maxDelay?: number;
  /** ms between pings (20000); a connection silent for two is dropped and made again. */
  pingInterval?: number;
  /** ms before a token expires to refresh it (30000). */
  refreshAhead?: number;
}

export interface Change {
  key: string;
  /** undefined: the key is gone. */
  value: Json | undefined;
  /** The room's confirmed position when the change showed. */
  seq: number;
  origin: 'local' | 'remote' | 'rollback';
}

export interface Conflict {
  key: string;
  /** What this client wrote (undefined: it deleted the key). */
  mine: Json | undefined;
  /** The value that stands. */
  winner: Json;
  seq: number;
  writer: string;
}

export interface StreamMessage {
  id: number;
  time: number;
  body: Json;
}

/** A refusal from the server: a rejected change (`conflict`, `forbidden`, `not_leader`, `sealed`, `forgotten`) or a failed request. */
export class LivestateError extends Error {
  code: string;
  /** On a conflict: each key's standing value. */
  winners: { [key: string]: { value: Json; seq: number; writer: string } };
}

export class Room {
  readonly name: string;
  /** Resolves once the room is joined and its snapshot or catch-up applied. */
  readonly ready: Promise<Room>;
  /** Resolves once what the storage held for the room is loaded (offline too): write after it. */
  readonly restored: Promise<Room>;
  /** The room's epoch and the seq through which this client has every op. */
  readonly epoch: string | null;
  readonly seq: number;
  readonly joined: boolean;
  readonly leader: string | null;
  readonly sealed: boolean;
  /** Changes not yet answered by the server. */
  readonly pendingCount: number;

  get(key: string): Json | undefined;
  state(): { [key: string]: Json };
  /** Applies at once; resolves on the server's ack, rejects with a LivestateError. null deletes. */
  set(key: string, value: Json): Promise<{ seq: number }>;
  delete(...keys: string[]): Promise<{ seq: number }>;
  /** One atomic change: null values delete their keys. */
  batch(values: { [key: string]: Json }): Promise<{ seq: number }>;

  readonly presence: {
    set(data: Json): void;
    /** Every other client's presence, by client id. */
    get(): { [clientId: string]: Json };
  };
  publish(body: Json, time?: number): Promise<{ messageId: number; time: number }>;
  history(range?: { from?: number; to?: number }): Promise<StreamMessage[]>;
  lead(): Promise<{ granted: boolean; previous?: string | null; leader?: string }>;
  unlead(): Promise<{ released: boolean }>;
  /** Leaves the room for good on this client and forgets what the storage held of it. */
  leave(): void;

  on(event: 'change', fn: (change: Change) => void): () => void;
  on(event: 'conflict', fn: (conflict: Conflict) => void): () => void;
  on(event: 'presence', fn: (clients: { [clientId: string]: Json }) => void): () => void;
  on(event: 'leader', fn: (e: { leader: string | null; previous: string | null }) => void): () => void;
  on(event: 'message', fn: (message: StreamMessage) => void): () => void;
  /** The number of changes not yet answered, whenever it moves (0: everything is in). */
  on(event: 'pending', fn: (count: number) => void): () => void;
  on(event: 'sealed', fn: () => void): () => void;
  on(event: 'error', fn: (error: LivestateError) => void): () => void;
  off(event: string, fn: (...args: any[]) => void): void;
}

export class LivestateClient {
  constructor(url: string, options?: ClientOptions);
  readonly status: Status;
  readonly clientId: string | null;
  room(name: string, options?: RoomOptions): Room;
  /** Resolves once everything changed so far is in the storage. */
  flush(): Promise<void>;
  /** Closes for good; pending changes stay in the storage. */
  close(): void;
  on(event: 'status', fn: (status: Status) => void): () => void;
  on(event: 'resubmit', fn: (e: { room: string; epoch: string }) => void): () => void;
  on(event: 'error', fn: (error: Error) => void): () => void;
  off(event: string, fn: (...args: any[]) => void): void;
}
