/**
 * The part of the client that talks to the server: one WebSocket connection plus the polling fallback,
 * for a set of wanted jobs. In a browser with tab sharing only the leader tab runs a hub.
 *
 * Polling runs while the WebSocket is disabled, or after it failed and until it is back; it covers only
 * jobs that have not reached a terminal status. A fatal error (token refused) stops everything.
 * @module
 */
import { createConnection } from './connection.js';
import { createJobStore, isTerminal } from './job-store.js';
import { createPoller } from './poller.js';

/**
 * @typedef {object} Hub
 * @property {(jobIds: Iterable<string>) => void} setWanted the jobs to follow from now on
 * @property {(jobId: string) => import('./index.js').JobProgress | undefined} latest
 * @property {() => void} close
 */

/**
 * @typedef {object} HubCallbacks
 * @property {(job: import('./index.js').JobProgress) => void} onUpdate a newer update of a wanted job
 * @property {(jobId: string, code: string, message: string) => void} onJobError
 * @property {(state: import('./index.js').ClientState) => void} onState
 */

/**
 * @param {import('./jobprogress-client.js').ResolvedOptions} config
 * @param {HubCallbacks} callbacks
 * @returns {Hub}
 */
export function createHub(config, { onUpdate, onJobError, onState }) {
  const store = createJobStore();
  /** @type {Set<string>} */
  let wanted = new Set();
  let closed = false;
  /** @type {import('./connection.js').ConnectionStatus} */
  let ws = { connected: false, failed: false, error: null, fatal: false };
  /** @type {{code: string, message: string} | null} */
  let fatalError = null;

  /** @param {import('./index.js').JobProgress} job */
  function receive(job) {
    if (closed || !wanted.has(job.jobId) || !store.accept(job)) return;
    onUpdate(job);
    if (isTerminal(job.status)) refresh();
  }

  const connection =
    config.enableWebSocket && config.WebSocket
      ? createConnection({
          url: config.url,
          tokenTransport: config.tokenTransport,
          WebSocket: config.WebSocket,
          tokens: config.tokens,
          backoff: config.backoff,
          random: config.random,
          timers: config.timers,
          onFrame(frame) {
            if (frame.type === 'progress') receive(frame);
            else if (frame.jobId && wanted.has(frame.jobId)) onJobError(frame.jobId, frame.code ?? 'error', frame.error ?? '');
          },
          onStatus(status) {
            ws = status;
            if (status.fatal) fatalError = status.error;
            refresh();
          },
        })
      : null;

  const poller =
    config.enablePolling && config.fetch
      ? createPoller({
          baseUrl: config.baseUrl,
          fetch: config.fetch,
          tokens: config.tokens,
          interval: config.pollInterval,
          timers: config.timers,
          onUpdate: receive,
          onJobError: (jobId, code, message) => wanted.has(jobId) && onJobError(jobId, code, message),
          onFatal(code, message) {
            fatalError = { code, message };
            refresh();
          },
        })
      : null;

  /** Re-derives what polls and the state after any change. */
  function refresh() {
    if (fatalError) {
      connection?.close();
      poller?.close();
    }
    const polling = Boolean(poller) && !fatalError && !closed && (!connection || (ws.failed && !ws.connected));
    if (poller && !fatalError) poller.setJobs(polling ? [...wanted].filter((jobId) => !isTerminal(store.get(jobId)?.status)) : []);
    /** @type {import('./index.js').ClientState['mode']} */
    let mode = 'idle';
    if (closed || fatalError) mode = 'stopped';
    else if (ws.connected) mode = 'websocket';
    else if (polling) mode = 'polling';
    onState({ connected: ws.connected && !closed, usingWebSocket: mode === 'websocket', mode, error: fatalError ?? ws.error });
  }

  return {
    setWanted(jobIds) {
      if (closed) return;
      const next = new Set(jobIds);
      for (const jobId of wanted) if (!next.has(jobId)) store.delete(jobId);
      wanted = next;
      connection?.setJobs(wanted);
      refresh();
    },
    latest: (jobId) => store.get(jobId),
    close() {
      if (closed) return;
      closed = true;
      connection?.close();
      poller?.close();
    },
  };
}
