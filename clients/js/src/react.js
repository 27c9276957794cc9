/**
 * React binding: `useJobProgress`, the hook, on top of the framework-free client.
 *
 * Hooks with the same settings (url, baseUrl, token, transport options) share one module-level client,
 * counted by its users; the last hook to unmount closes it. React is a peer dependency.
 * @module
 */
import { useEffect, useRef, useState } from 'react';
import { createJobProgressClient } from './jobprogress-client.js';

/** @type {Map<string, {client: import('./index.js').JobProgressClient, users: number}>} */
const sharedClients = new Map();

/**
 * @param {string} key
 * @param {() => import('./index.js').JobProgressClient} create
 */
function acquire(key, create) {
  let entry = sharedClients.get(key);
  if (!entry) sharedClients.set(key, (entry = { client: create(), users: 0 }));
  entry.users += 1;
  return entry.client;
}

/**
 * Closes the client once nobody uses it. Deferred by a microtask: React runs an effect's cleanup and
 * its next run in one go (a new jobId, StrictMode), and the next run should find the same client.
 * @param {string} key
 */
function release(key) {
  const entry = sharedClients.get(key);
  if (!entry || --entry.users > 0) return;
  queueMicrotask(() => {
    if (entry.users > 0 || sharedClients.get(key) !== entry) return;
    sharedClients.delete(key);
    entry.client.close();
  });
}

/**
 * The default WebSocket URL: `/ws` on the page's own host, `wss:` when the page is `https:`.
 * @param {{protocol: string, host: string}} [location]
 * @returns {string}
 */
export function defaultWebSocketUrl(location = /** @type {any} */ (globalThis).location) {
  if (!location) throw new Error('jobprogress: no location to derive the WebSocket URL from; pass options.url');
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/** @type {import('./index.js').ClientState} */
const INITIAL_STATE = { connected: false, usingWebSocket: false, mode: 'idle', error: null };

/**
 * Follows one job's progress. Does nothing while `jobId` or `accessToken` is empty.
 * @param {string | null | undefined} jobId
 * @param {string | null | undefined} accessToken
 * @param {import('./react.js').UseJobProgressOptions} [options]
 * @returns {import('./react.js').JobProgressView}
 */
export function useJobProgress(jobId, accessToken, options = {}) {
  const {
    enableWebSocket = true, enablePolling = true, pollInterval = 2000, url, baseUrl = '', getToken, tokenTransport = 'subprotocol',
  } = options;
  const [job, setJob] = useState(/** @type {import('./index.js').JobProgress | null} */ (null));
  const [jobError, setJobError] = useState(/** @type {string | null} */ (null));
  const [recovered, setRecovered] = useState(/** @type {boolean | undefined} */ (undefined));
  const [state, setState] = useState(INITIAL_STATE);
  const getTokenRef = useRef(getToken);
  getTokenRef.current = getToken;

  useEffect(() => {
    if (!jobId || !accessToken) return undefined;
    const wsUrl = url ?? defaultWebSocketUrl();
    const key = JSON.stringify([wsUrl, baseUrl, accessToken, enableWebSocket, enablePolling, pollInterval, tokenTransport]);
    const client = acquire(key, () =>
      createJobProgressClient({
        url: wsUrl,
        baseUrl,
        enableWebSocket,
        enablePolling,
        pollInterval,
        tokenTransport,
        getToken: () => (getTokenRef.current ? getTokenRef.current() : accessToken),
      })
    );
    setJob(null);
    setJobError(null);
    setRecovered(undefined);
    setState(client.getState());
    const stopWatchingState = client.onStateChange(setState);
    const unsubscribe = client.subscribe(
      jobId,
      (event) => {
        if (event.type === 'error') {
          setJobError(event.error);
        } else {
          setJob(event);
          setJobError(null);
        }
      },
      { onSubscribed: (info) => setRecovered(info.recovered) }
    );
    return () => {
      unsubscribe();
      stopWatchingState();
      release(key);
    };
  }, [jobId, accessToken, url, baseUrl, enableWebSocket, enablePolling, pollInterval, tokenTransport]);

  return {
    progress: job?.progress ?? 0,
    status: job?.status ?? null,
    stage: job?.stage ?? null,
    message: job?.message ?? null,
    isConnected: state.connected,
    usingWebSocket: state.usingWebSocket,
    error: jobError ?? (state.mode === 'stopped' ? state.error?.message ?? null : null),
    recovered,
  };
}
