/**
 * React binding: `useJobProgress`, the hook, on top of the framework-free client.
 *
 * Hooks with the same settings (url, baseUrl, the token's user, transport options) share one
 * module-level client, counted by its users; the last hook to unmount closes it. A new token of the same
 * user (a refresh) keeps the client and its socket: the client asks the hooks for their newest token
 * whenever it needs one. What the hook returns is keyed by job and user, so it never shows another job's
 * state, not even for one render. React is a peer dependency.
 * @module
 */
import { useEffect, useRef, useState } from 'react';
import { identityKey, tokenSubject } from './identity.js';
import { createJobProgressClient, isTerminal } from './jobprogress-client.js';

/**
 * @typedef {{current: {accessToken: string | null | undefined, getToken?: () => string | Promise<string>}}} TokenRef
 * @typedef {{client: import('./index.js').JobProgressClient, users: number, tokens: Set<TokenRef>}} SharedClient
 */

/** @type {Map<string, SharedClient>} */
const sharedClients = new Map();

/**
 * @param {string} key
 * @param {TokenRef} tokenRef the calling hook's newest token, offered to the client while the hook uses it
 * @param {(getToken: () => string | Promise<string>) => import('./index.js').JobProgressClient} create
 */
function acquire(key, tokenRef, create) {
  let entry = sharedClients.get(key);
  if (!entry) {
    /** @type {Set<TokenRef>} */
    const tokens = new Set();
    const getToken = () => {
      const latest = [...tokens].at(-1)?.current;
      return latest?.getToken ? latest.getToken() : /** @type {string} */ (latest?.accessToken);
    };
    sharedClients.set(key, (entry = { client: create(getToken), users: 0, tokens }));
  }
  entry.users += 1;
  entry.tokens.add(tokenRef);
  return entry.client;
}

/**
 * Closes the client once nobody uses it. Deferred by a microtask: React runs an effect's cleanup and
 * its next run in one go (a new jobId, StrictMode), and the next run should find the same client.
 * @param {string} key
 * @param {TokenRef} tokenRef
 */
function release(key, tokenRef) {
  const entry = sharedClients.get(key);
  if (!entry) return;
  entry.tokens.delete(tokenRef);
  if (--entry.users > 0) return;
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

/**
 * @typedef {object} JobView what the hook knows of one job, for one user
 * @property {string} key `jobId` and user it belongs to; ignored by a render with another key
 * @property {import('./index.js').JobProgress | null} job
 * @property {{code: string, message: string} | null} jobError
 * @property {boolean | undefined} recovered
 */

/**
 * Follows one job's progress. Does nothing while `jobId` or `accessToken` is empty.
 * @param {string | null | undefined} jobId
 * @param {string | null | undefined} accessToken
 * @param {import('./react.js').UseJobProgressOptions} [options]
 * @returns {import('./react.js').JobProgressView}
 */
export function useJobProgress(jobId, accessToken, options = {}) {
  const {
    enableWebSocket = true, enablePolling = true, pollInterval = 2000, url, baseUrl = '', getToken,
    tokenTransport = 'subprotocol', identity, stopWhenTerminal = false,
  } = options;
  const user = identityKey(accessToken, identity);
  const active = Boolean(jobId) && user !== null;
  const viewKey = JSON.stringify([jobId, user]);
  const clientKey = JSON.stringify([url ?? null, baseUrl, user, enableWebSocket, enablePolling, pollInterval, tokenTransport]);
  const [stored, setStored] = useState(/** @type {JobView | null} */ (null));
  const [clientState, setClientState] = useState(/** @type {{key: string, state: import('./index.js').ClientState} | null} */ (null));
  /** @type {TokenRef} */
  const tokenRef = useRef({ accessToken, getToken });
  tokenRef.current = { accessToken, getToken };
  const identityRef = useRef(identity);
  identityRef.current = identity;

  // Derived during render: a view or state stored for another job, user or client is never returned.
  const view = stored !== null && stored.key === viewKey ? stored : null;
  const job = view?.job ?? null;
  const terminal = isTerminal(job?.status);
  const following = active && !(stopWhenTerminal && terminal);

  useEffect(() => {
    if (!following) return undefined;
    const wsUrl = url ?? defaultWebSocketUrl();
    const sharedKey = JSON.stringify([wsUrl, clientKey]);
    const client = acquire(sharedKey, tokenRef, (sharedGetToken) =>
      createJobProgressClient({
        url: wsUrl, baseUrl, enableWebSocket, enablePolling, pollInterval, tokenTransport,
        getToken: sharedGetToken,
        identity: (token) => (identityRef.current ?? tokenSubject)(token),
      })
    );
    /** @param {(previous: JobView) => Partial<JobView>} change */
    const update = (change) => setStored((previous) => {
      const base = previous !== null && previous.key === viewKey ? previous : { key: viewKey, job: null, jobError: null, recovered: undefined };
      return { ...base, ...change(base) };
    });
    setClientState({ key: clientKey, state: client.getState() });
    const stopWatchingState = client.onStateChange((state) => setClientState({ key: clientKey, state }));
    const unsubscribe = client.subscribe(
      /** @type {string} */ (jobId),
      (event) => update(() => (event.type === 'error'
        ? { jobError: { code: event.code, message: event.error } }
        : { job: event, jobError: null })),
      { onSubscribed: (info) => update(() => ({ recovered: info.recovered })) }
    );
    return () => {
      unsubscribe();
      stopWatchingState();
      release(sharedKey, tokenRef);
    };
  }, [following, jobId, viewKey, clientKey]); // clientKey covers url, baseUrl, user and the transport options

  const state = following && clientState !== null && clientState.key === clientKey ? clientState.state : null;
  /** @type {import('./react.js').JobProgressMode} */
  let mode = 'idle';
  if (following) {
    if (state === null) mode = enableWebSocket ? 'connecting' : enablePolling ? 'polling' : 'idle';
    else if (state.mode === 'idle') mode = enableWebSocket ? 'connecting' : 'idle';
    else mode = state.mode;
  }
  const error = view?.jobError ?? (mode === 'stopped' ? state?.error ?? null : null);
  return {
    progress: job?.progress ?? 0,
    status: job?.status ?? null,
    stage: job?.stage ?? null,
    message: job?.message ?? null,
    isConnected: Boolean(state?.connected),
    usingWebSocket: mode === 'websocket',
    mode,
    error,
    errorMessage: error?.message ?? null,
    isTerminal: terminal,
    recovered: view?.recovered,
  };
}
