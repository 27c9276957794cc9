// Hand-written types for @jobprogress/client/react (src/react.js).
import type { JobStatus } from './index.js';

export interface UseJobProgressOptions {
  /** Default true. */
  enableWebSocket?: boolean;
  /** Default true. */
  enablePolling?: boolean;
  /** Default 2000 ms. */
  pollInterval?: number;
  /** Default: `ws(s)://{location.host}/ws`. */
  url?: string;
  /** Origin or prefix of the HTTP API used for polling. Default: same origin. */
  baseUrl?: string;
  /** Supplies fresh tokens when the server says the token expired. Default: returns `accessToken`. */
  getToken?: () => string | Promise<string>;
  /** `'subprotocol'` (default, keeps the token out of URLs) or `'query'` (the contract's `?token=`). */
  tokenTransport?: 'query' | 'subprotocol';
  /**
   * Who a token belongs to (default: the JWT's `iss` and `sub`, read without verifying). Hooks and tabs
   * share a client and socket only for tokens of one identity; a new token of the same identity keeps them.
   */
  identity?: (token: string) => string | undefined;
  /**
   * Default false. When true the hook stops following the job once it reached a terminal status: it
   * keeps returning the final state (`mode: 'idle'`), and a client no hook follows anything with any
   * more is closed, so it stops reconnecting.
   */
  stopWhenTerminal?: boolean;
}

/**
 * `connecting`: a job is followed and the WebSocket is being opened (or re-opened after a failure, with
 * polling disabled); `websocket`: live; `polling`: updates come from `GET /api/jobs/{id}`; `idle`: nothing
 * to follow (no jobId or token, or a terminal job with `stopWhenTerminal`); `stopped`: a fatal error
 * (see `error`), nothing more will come.
 */
export type JobProgressMode = 'connecting' | 'websocket' | 'polling' | 'idle' | 'stopped';

/** A per-job or fatal error, with the server's code. */
export interface JobProgressError {
  /**
   * Per job: `forbidden` (another user's job), `not_found` (polling: no such job), or the code of the
   * server's error frame. Fatal (`mode: 'stopped'`): `invalid_token`, `forbidden`, `token_expired`
   * (getToken returned the expired token again), `bad_url`.
   */
  code: string;
  /** Human-readable text. */
  message: string;
}

export interface JobProgressView {
  /** 0..100; 0 until the first update of this `jobId` (never a previous job's value). */
  progress: number;
  status: JobStatus | null;
  stage: string | null;
  message: string | null;
  /** The WebSocket is connected. */
  isConnected: boolean;
  /** Updates currently come over the WebSocket (`mode === 'websocket'`). */
  usingWebSocket: boolean;
  /** Where updates come from now; see {@link JobProgressMode}. */
  mode: JobProgressMode;
  /** A per-job error (refused, not found) or the fatal connection error; null otherwise. */
  error: JobProgressError | null;
  /** `error.message`, or null: the plain string the hook's `error` used to be. */
  errorMessage: string | null;
  /** The job reached `completed`, `failed` or `cancelled`. */
  isTerminal: boolean;
  /**
   * What the server's last `subscribed` answer for this job said (protocol v1.1): `true` when, after a
   * reconnect, every missed update was replayed in order; `false` when it could not be (only the latest
   * state came, intermediate updates were skipped); `undefined` before any answer, from servers that do
   * not send the field, or while only polling.
   */
  recovered: boolean | undefined;
}

export function useJobProgress(
  jobId: string | null | undefined,
  accessToken: string | null | undefined,
  options?: UseJobProgressOptions
): JobProgressView;

export function defaultWebSocketUrl(location?: { protocol: string; host: string }): string;
