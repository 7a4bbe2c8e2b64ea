/** An item of a collection: any JSON object with a string id. */
export interface Item {
  id: string;
  [key: string]: unknown;
}

/** One changed item: `old` is undefined for an insert, `new` for a removal. */
export interface Diff<T extends Item = Item> {
  id: string;
  new: T | undefined;
  old: T | undefined;
}

export interface Changes<T extends Item = Item> {
  remove?: string[];
  insert?: T[];
  reset?: boolean;
}

export interface Reply {
  ok: boolean;
  data: unknown;
}

export interface CallbackHandle {
  readonly handler: (diffs: Diff[]) => void;
}

export declare function normalisePath(path: string): string;

export declare class Dataset<T extends Item = Item> {
  readonly path: string;
  readonly size: number;
  /** True once the collection's full state has arrived at least once. */
  readonly synced: boolean;
  get_item(id: string): T | undefined;
  has_item(id: string): boolean;
  get_items(): T[];
  update(changes: Changes<T>): Promise<Reply>;
  add_callback(handler: (diffs: Diff<T>[]) => void): CallbackHandle;
  remove_callback(handle: CallbackHandle): void;
}

export interface ClientOptions {
  /** A WebSocket implementation (default: the global one, else the `ws` package). */
  WebSocket?: unknown;
  /** First reconnect delay in ms (default 250); doubles per attempt up to maxDelay. */
  minDelay?: number;
  /** Longest reconnect delay in ms (default 5000). */
  maxDelay?: number;
  /** Reconnect after the connection drops (default true). */
  reconnect?: boolean;
}

export declare class SharedStateClient {
  constructor(url: string, options?: ClientOptions);
  readonly url: string;
  readonly connected: boolean;
  /** Opens the connection; resolves once connected (retrying with backoff until then). */
  connect(): Promise<void>;
  /** Closes for good: no reconnect. */
  close(): void;
  on(event: 'connect' | 'disconnect', listener: () => void): this;
  acquire<T extends Item = Item>(path: string): [symbol, Dataset<T>];
  release(handle: symbol): void;
  get(path: string): Promise<Reply>;
  update(path: string, changes: unknown): Promise<Reply>;
}

export default SharedStateClient;
