/**
 * The part of the client that talks to the server: one WebSocket connection plus the polling fallback,
 * for a set of wanted jobs. In a browser with tab sharing only the leader tab runs a hub.
 *
 * Polling runs while the WebSocket is disabled, or after it failed and until it is back; it covers only
 * jobs that have not reached a terminal status. A fatal error (token refused) stops everything.
 *
 * Resume (contract v1.1): the hub's store holds the newest update of each wanted job, whatever brought
 * it; every subscribe on a new socket carries that update's `seq` and `epoch`, so the server can replay
 * exactly what was missed (`subscribed.recovered: true`) or say it cannot (`false`, latest only).
 * @module
 */
import { createConnection } from './connection.js';
import { createJobStore, isTerminal } from './job-store.js';
import { createPoller } from './poller.js';
import { createSyncRequests } from './sync-requests.js';

/**
 * @typedef {object} Hub
 * @property {(jobIds: Iterable<string>) => void} setWanted the jobs to follow from now on
 * @property {(jobId: string) => import('./index.js').JobProgress | undefined} latest
 * @property {(jobId: string) => {recovered: boolean | undefined} | undefined} lastSubscribed what the last
 *   `subscribed` frame of a wanted job said, if one came
 * @property {() => Promise<import('./sync-requests.js').SyncResult>} sync
 * @property {() => void} close
 */

/**
 * @typedef {object} HubCallbacks
 * @property {(job: import('./index.js').JobProgress) => void} onUpdate a newer update of a wanted job
 * @property {(jobId: string, code: string, message: string) => void} onJobError
 * @property {(state: import('./index.js').ClientState) => void} onState
 * @property {(jobId: string, recovered: boolean | undefined) => void} onSubscribed a `subscribed` frame of a
 *   wanted job; `recovered` as the server sent it (undefined when absent, e.g. from a v1 server)
 */

/**
 * Reads the resume point of a stored update: both a positive integer `seq` and a string `epoch`, or none.
 * @param {import('./index.js').JobProgress | undefined} job
 * @returns {{seq: number, epoch: string} | undefined}
 */
export function resumePoint(job) {
  if (!job || !Number.isInteger(job.seq) || /** @type {number} */ (job.seq) <= 0 || typeof job.epoch !== 'string') return undefined;
  return { seq: /** @type {number} */ (job.seq), epoch: job.epoch };
}

/**
 * @param {import('./jobprogress-client.js').ResolvedOptions} config
 * @param {HubCallbacks} callbacks
 * @param {Iterable<import('./index.js').JobProgress>} [known] updates already seen (by the tab that takes
 *   over as leader), so its first subscribes resume from them too
 * @returns {Hub}
 */
export function createHub(config, { onUpdate, onJobError, onState, onSubscribed }, known = []) {
  const store = createJobStore();
  for (const job of known) store.accept(job);
  /** @type {Map<string, {recovered: boolean | undefined}>} */
  const subscribedInfo = new Map();
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

  // The sender runs only after `connection` below is initialised.
  const syncs = createSyncRequests((frame) => Boolean(connection?.send(frame)));
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
          resumeFrom: (jobId) => resumePoint(store.get(jobId)),
          onFrame(frame) {
            if (frame.type === 'progress') {
              syncs.collect(frame);
              receive(frame);
            } else if (frame.type === 'subscribed') {
              subscribed(frame);
            } else if (frame.type === 'synced') {
              syncs.synced(frame.count);
            } else if (frame.jobId) {
              if (wanted.has(frame.jobId)) onJobError(frame.jobId, frame.code ?? 'error', frame.error ?? '');
            } else {
              syncs.refused(String(frame.error ?? 'error'));
            }
          },
          onStatus(status) {
            ws = status;
            if (status.fatal) fatalError = status.error;
            if (status.connected) syncs.flush();
            else if (status.failed) syncs.failAll(`the WebSocket is down (${status.error?.code ?? 'unknown'})`);
            refresh();
          },
        })
      : null;
  /** @param {{jobId?: unknown, recovered?: unknown}} frame */
  function subscribed(frame) {
    const jobId = /** @type {string} */ (frame.jobId);
    if (closed || !wanted.has(jobId)) return;
    const recovered = typeof frame.recovered === 'boolean' ? frame.recovered : undefined;
    subscribedInfo.set(jobId, { recovered });
    onSubscribed(jobId, recovered);
  }

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
      for (const jobId of wanted) {
        if (next.has(jobId)) continue;
        store.delete(jobId);
        subscribedInfo.delete(jobId);
      }
      wanted = next;
      connection?.setJobs(wanted);
      refresh();
    },
    latest: (jobId) => store.get(jobId),
    lastSubscribed: (jobId) => subscribedInfo.get(jobId),
    sync() {
      if (closed) return Promise.reject(new Error('jobprogress: client is closed'));
      if (!connection) return Promise.reject(new Error('jobprogress: sync needs the WebSocket (enableWebSocket is false or there is no WebSocket)'));
      if (fatalError) return Promise.reject(new Error(`jobprogress: sync impossible, the connection stopped (${fatalError.code})`));
      const result = syncs.add();
      connection.start();
      syncs.flush();
      return result;
    },
    close() {
      if (closed) return;
      closed = true;
      connection?.close();
      poller?.close();
      syncs.failAll('the client was closed');
    },
  };
}
