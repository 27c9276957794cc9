// Hand-written types for @jobprogress/client (src/jobprogress-client.js).

/** Job status; `completed`, `failed` and `cancelled` are terminal. */
export type JobStatus = 'queued' | 'processing' | 'completed' | 'failed' | 'cancelled';

/** A progress update, as in the server's `progress` frame (polling results get `type: 'progress'` too). */
export interface JobProgress {
  type: 'progress';
  jobId: string;
  userId?: string;
  status: JobStatus;
  /** 0..100 */
  progress: number;
  stage?: string;
  message?: string;
  /** ISO-8601 */
  timestamp?: string;
  /** Per-job increasing sequence number; absent or 0 from older servers. */
  seq?: number;
  /** Changes when the server lost the job's history; seqs of different epochs are not comparable. */
  epoch?: string;
}

/** A per-job error: a refused subscription (server `error` frame with a jobId) or a 404 while polling. */
export interface JobError {
  type: 'error';
  jobId: string;
  /** snake_case, e.g. `forbidden`, `not_found` */
  code: string;
  /** Human-readable text. */
  error: string;
}

export type JobEvent = JobProgress | JobError;
export type JobListener = (event: JobEvent) => void;

/** The server's `subscribed` answer for a job (protocol v1.1). */
export interface SubscribedInfo {
  jobId: string;
  /**
   * `true`: the subscribe resumed from the client's last `seq`/`epoch` and every missed update follows,
   * in order. `false`: the server could not replay (history gone, new epoch); only the latest state
   * follows. `undefined`: the server did not say (a v1 server, or a first subscribe).
   */
  recovered: boolean | undefined;
}

export interface SubscribeOptions {
  /** Called with every `subscribed` answer for this job (also at once if one is already known). */
  onSubscribed?: (info: SubscribedInfo) => void;
}

/** What `sync()` resolves to. */
export interface SyncResult {
  /** The server's `synced.count`: how many progress frames it sent for this sync. */
  count: number;
  /** The newest update per job received until `synced`: the user's recently changed jobs. */
  jobs: JobProgress[];
}

export interface ClientState {
  /** The WebSocket is open and the server said `connected`. */
  connected: boolean;
  /** Updates currently come over the WebSocket (`mode === 'websocket'`). */
  usingWebSocket: boolean;
  /**
   * `websocket`: live; `polling`: WebSocket disabled or down, polling the HTTP API; `idle`: nothing to do
   * yet or (re)connecting; `stopped`: closed, or a fatal error (see `error`).
   */
  mode: 'websocket' | 'polling' | 'idle' | 'stopped';
  /** Why the live connection is not available (close reason such as `token_expired`), or null. */
  error: { code: string; message: string } | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface JobProgressClientOptions {
  /** WebSocket endpoint, e.g. `wss://example.com/ws`; `?token=` is appended unless `tokenTransport` is `subprotocol`. */
  url: string;
  /**
   * How the token travels at the handshake. `subprotocol` (default): offered as
   * `Sec-WebSocket-Protocol: jobprogress.v1, bearer.<jwt>`, so it stays out of URLs and access logs (needs a
   * server with the subprotocol bearer, jobprogress-jakarta-ws 0.1+). `query`: `?token=` in the URL, the
   * contract's original way, for servers without the subprotocol bearer.
   */
  tokenTransport?: 'query' | 'subprotocol';
  /** Returns the current access token; called once at start and again whenever the token expires. */
  getToken: () => string | Promise<string>;
  /** Origin or prefix of the HTTP API used for polling (`{baseUrl}/api/jobs/{jobId}`). Default: same origin. */
  baseUrl?: string;
  /** Default: `globalThis.WebSocket`. */
  WebSocket?: typeof WebSocket;
  /** Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Milliseconds between two polls of one job. Default 2000. */
  pollInterval?: number;
  /** Default true. */
  enableWebSocket?: boolean;
  /** Poll while the WebSocket is disabled or down. Default true. */
  enablePolling?: boolean;
  /** Reconnect delays: full jitter over `min(maxMs, initialMs * 2^attempt)`. Defaults 500 and 30000. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Default `Math.random`. */
  random?: () => number;
  setTimeout?: Timers['setTimeout'];
  clearTimeout?: Timers['clearTimeout'];
  /**
   * One socket for all tabs of the same user (Web Locks + BroadcastChannel, when available). Default true.
   * The lock and channel names carry a hash of the token's identity, so tabs of different users, or a tab
   * without a token, never share.
   */
  shareAcrossTabs?: boolean;
  /**
   * Who a token belongs to, for tab sharing only (the server verifies tokens, the client never does).
   * Default: the JWT payload's `iss` and `sub`; a token without them is its own identity.
   */
  identity?: (token: string) => string | undefined;
  /** Default `navigator.locks`; `null`: no sharing. */
  locks?: { request: (...args: any[]) => Promise<unknown> } | null;
  /** Default `globalThis.BroadcastChannel`; `null`: no sharing. */
  BroadcastChannel?: (new (name: string) => BroadcastChannel) | null;
}

export interface JobProgressClient {
  /**
   * Follows a job. The listener gets every newer update (never an older one) and per-job errors; if the
   * job's latest update is already known it is delivered at once. After a reconnect the job is
   * subscribed again with the newest `seq`/`epoch` seen, so the server can replay what was missed.
   * Returns the function that stops it.
   */
  subscribe(jobId: string, listener: JobListener, options?: SubscribeOptions): () => void;
  /**
   * Sends `{"type":"sync"}` (protocol v1.1), connecting first if needed: the server answers with the
   * latest state of each of the user's recently changed jobs. Updates of followed jobs also reach their
   * listeners (same ordering rule). Rejects if the WebSocket is disabled, fails before the answer, the
   * server refuses the frame (a v1 server answers an error) or the client is closed.
   */
  sync(): Promise<SyncResult>;
  getState(): ClientState;
  /** Called on every state change; returns the function that removes the listener. */
  onStateChange(listener: (state: ClientState) => void): () => void;
  /** Releases every socket, timer, channel and lock. Idempotent. */
  close(): void;
}

export function createJobProgressClient(options: JobProgressClientOptions): JobProgressClient;
export function isTerminal(status: string | undefined): boolean;
export const TERMINAL_STATUSES: readonly ['completed', 'failed', 'cancelled'];
