// Types of @livestate/meet-client: the client side of the OpenLifter live-meet protocol.

export interface Endpoint {
  locationName: string;
  priority: number;
}

export interface Admitted {
  msgType: 'MEET_CREATED' | 'MEET_JOINED';
  meetId: string;
  meetIdDisplay: string;
  sessionToken: string;
  displayOnly: boolean;
  serverEpoch: string;
  headServerSeq: number;
  expires: number;
  locationName?: string;
  priority?: number;
}

export interface PendingUpdate {
  localSeqNum: number;
  updateKey: string;
  updateValue: unknown;
  afterServerSeqNum: number;
}

export interface CanonicalUpdate {
  serverSeqNum: number;
  updateKey: string;
  updateValue: unknown;
}

export interface ClientState {
  meetId: string | null;
  sessionToken: string | null;
  locationName: string | null;
  displayOnly: boolean;
  serverEpoch: string | null;
  lastServerSeq: number;
  canonical: CanonicalUpdate[];
  pending: PendingUpdate[];
  nextLocalSeq: number;
}

export interface MeetClientOptions {
  /** A WebSocket constructor; required in Node (the `ws` package). */
  WebSocket?: unknown;
  /** Reconnect after a lost connection (default true). */
  reconnect?: boolean;
  minDelay?: number;
  maxDelay?: number;
  /** Updates per UPDATE_INIT message (default 500). */
  batchSize?: number;
  /** What exportState() returned, to continue after a reload. */
  state?: ClientState;
}

export interface ChangeEvent {
  key: string;
  value: unknown;
  source: 'local' | 'server';
  serverSeqNum?: number;
}

export interface EventMap {
  change: ChangeEvent;
  status: { online: boolean; needResync: boolean; pending: number };
  ack: { localSeqNum: number; serverSeqNum: number; key: string };
  rejected: { localSeqNum: number; conflict: boolean; reason: string; key?: string; winningValue?: unknown; serverSeqNum?: number };
  synced: { lastServerSeq: number; serverEpoch: string | null };
  serverPull: { serverEpoch: string | null; resubmitted: number };
  invalidSession: { sessionToken: string; reason?: string };
  message: Record<string, unknown> & { msgType: string };
  error: unknown;
}

export declare function formatMeetId(id: string | number): string;

export declare class MeetClient {
  constructor(url: string, options?: MeetClientOptions);
  url: string;
  readonly online: boolean;
  meetId: string | null;
  sessionToken: string | null;
  locationName: string | null;
  displayOnly: boolean;
  serverEpoch: string | null;
  lastServerSeq: number;
  needResync: boolean;
  pending: PendingUpdate[];

  on<K extends keyof EventMap>(event: K, fn: (payload: EventMap[K]) => void): () => void;
  off<K extends keyof EventMap>(event: K, fn: (payload: EventMap[K]) => void): void;

  connect(): Promise<void>;
  goOffline(): void;
  goOnline(): Promise<void>;
  close(): void;

  createMeet(args: { locationName: string; password: string; endpoints: Endpoint[]; meetId?: string }): Promise<Admitted>;
  joinMeet(args: { meetId: string; password: string; locationName?: string; displayOnly?: boolean }): Promise<Admitted>;
  resume(args: { sessionToken: string; displayOnly?: boolean }): Promise<void>;

  update(updateKey: string, updateValue: unknown): number;
  get(key: string): unknown;
  values(): Record<string, unknown>;
  canonicalLog(): CanonicalUpdate[];
  pull(): void;
  publish(args: { returnEmail: string; oplCsv: string }): Promise<{ msgType: 'PUBLISH_ACK'; meetId: string; emailSent: boolean }>;
  exportState(): ClientState;
}

export default MeetClient;
