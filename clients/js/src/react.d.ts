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
}

export interface JobProgressView {
  /** 0..100; 0 until the first update. */
  progress: number;
  status: JobStatus | null;
  stage: string | null;
  message: string | null;
  /** The WebSocket is connected. */
  isConnected: boolean;
  /** Updates currently come over the WebSocket (not polling). */
  usingWebSocket: boolean;
  /** A per-job error (refused, not found) or the fatal connection error; null otherwise. */
  error: string | null;
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
