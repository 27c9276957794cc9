/**
 * Browser client for jobprogress: live job progress over WebSocket, with polling as fallback and one
 * socket shared by all tabs. Plain ES module, no dependencies, no build step.
 *
 * Lifecycle: `createJobProgressClient` does no I/O; the first `subscribe` connects; `close()` releases
 * every socket, timer, channel and lock, after which the client does nothing.
 * @module
 */
import { createHub } from './hub.js';
import { createJobStore } from './job-store.js';
import { createIdentityHub } from './identity-hub.js';
import { createTokenSource } from './token-source.js';

export { isTerminal, TERMINAL_STATUSES } from './job-store.js';

/**
 * Options after defaults are applied; what the hub works with.
 * @typedef {object} ResolvedOptions
 * @property {string} url
 * @property {'query' | 'subprotocol'} tokenTransport
 * @property {string} baseUrl
 * @property {{ current(): Promise<string>, refresh(): Promise<string> }} tokens
 * @property {typeof WebSocket | undefined} WebSocket
 * @property {typeof fetch | undefined} fetch
 * @property {number} pollInterval
 * @property {boolean} enableWebSocket
 * @property {boolean} enablePolling
 * @property {{initialMs: number, maxMs: number}} backoff
 * @property {() => number} random
 * @property {import('./index.js').Timers} timers
 */

/**
 * Creates a client. See `index.d.ts` for the option and state documentation.
 * @param {import('./index.js').JobProgressClientOptions} options
 * @returns {import('./index.js').JobProgressClient}
 */
export function createJobProgressClient(options) {
  const { url, getToken } = options;
  if (typeof url !== 'string' || url === '') throw new TypeError('jobprogress: option url is required');
  if (typeof getToken !== 'function') throw new TypeError('jobprogress: option getToken must be a function');
  const tokenTransport = options.tokenTransport ?? 'subprotocol';
  if (tokenTransport !== 'query' && tokenTransport !== 'subprotocol') {
    throw new TypeError(`jobprogress: option tokenTransport must be 'query' or 'subprotocol', was ${tokenTransport}`);
  }
  const g = /** @type {any} */ (globalThis);
  /** @type {ResolvedOptions} */
  const config = {
    url,
    tokenTransport,
    baseUrl: options.baseUrl ?? '',
    tokens: createTokenSource(getToken),
    WebSocket: options.WebSocket ?? g.WebSocket,
    fetch: options.fetch ?? (g.fetch ? g.fetch.bind(g) : undefined),
    pollInterval: options.pollInterval ?? 2000,
    enableWebSocket: options.enableWebSocket ?? true,
    enablePolling: options.enablePolling ?? true,
    backoff: { initialMs: options.backoff?.initialMs ?? 500, maxMs: options.backoff?.maxMs ?? 30000 },
    random: options.random ?? Math.random,
    timers: {
      setTimeout: options.setTimeout ?? ((fn, ms) => g.setTimeout(fn, ms)),
      clearTimeout: options.clearTimeout ?? ((handle) => g.clearTimeout(handle)),
    },
  };

  /**
   * @typedef {object} Follower
   * @property {import('./index.js').JobListener} listener
   * @property {((info: import('./index.js').SubscribedInfo) => void) | undefined} onSubscribed
   */
  /** @type {Map<string, Set<Follower>>} */
  const listeners = new Map();
  /** @type {Map<string, import('./index.js').SubscribedInfo>} the last `subscribed` of each followed job */
  const subscribedInfo = new Map();
  /** @type {Set<(state: import('./index.js').ClientState) => void>} */
  const stateListeners = new Set();
  const store = createJobStore();
  /** @type {import('./index.js').ClientState} */
  let state = { connected: false, usingWebSocket: false, mode: 'idle', error: null };
  let closed = false;

  /**
   * @param {string} jobId
   * @param {import('./index.js').JobEvent} event
   */
  function emit(jobId, event) {
    for (const follower of [...(listeners.get(jobId) ?? [])]) follower.listener(event);
  }

  /** @param {import('./index.js').ClientState} next */
  function setState(next) {
    const same = next.connected === state.connected && next.usingWebSocket === state.usingWebSocket &&
      next.mode === state.mode && next.error?.code === state.error?.code;
    state = next;
    if (!same) for (const listener of [...stateListeners]) listener(state);
  }

  /** @type {import('./hub.js').HubCallbacks} */
  const callbacks = {
    onUpdate(job) {
      if (listeners.has(job.jobId) && store.accept(job)) emit(job.jobId, job);
    },
    onJobError(jobId, code, message) {
      emit(jobId, { type: 'error', jobId, code, error: message });
    },
    onState: (next) => !closed && setState(next),
    onSubscribed(jobId, recovered) {
      if (!listeners.has(jobId)) return;
      const info = { jobId, recovered };
      subscribedInfo.set(jobId, info);
      for (const follower of [...(listeners.get(jobId) ?? [])]) follower.onSubscribed?.(info);
    },
    onIdentityChange() {
      // The token now belongs to another user: nothing known of the previous user's jobs may leak on.
      store.clear();
      subscribedInfo.clear();
    },
  };

  const locks = options.locks !== undefined ? options.locks : g.navigator?.locks;
  const Channel = options.BroadcastChannel !== undefined ? options.BroadcastChannel : g.BroadcastChannel;
  const share = (options.shareAcrossTabs ?? true) && locks && Channel;
  // Tabs share a socket only with tabs of the same user: the group is named after the token's identity.
  const hub = share
    ? createIdentityHub(config, callbacks, { url, identityOf: options.identity, locks, BroadcastChannel: Channel })
    : createHub(config, callbacks);

  return {
    subscribe(jobId, listener, { onSubscribed } = {}) {
      if (closed) throw new Error('jobprogress: client is closed');
      if (typeof jobId !== 'string' || jobId === '') throw new TypeError('jobprogress: jobId must be a non-empty string');
      let set = listeners.get(jobId);
      const added = !set;
      if (!set) listeners.set(jobId, (set = new Set()));
      /** @type {Follower} */
      const follower = { listener, onSubscribed };
      set.add(follower);
      if (added) {
        hub.setWanted(listeners.keys());
      } else {
        const info = subscribedInfo.get(jobId);
        if (info) onSubscribed?.(info);
        const known = store.get(jobId);
        if (known) listener(known);
      }
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        set.delete(follower);
        if (set.size > 0 || listeners.get(jobId) !== set) return;
        listeners.delete(jobId);
        store.delete(jobId);
        subscribedInfo.delete(jobId);
        if (!closed) hub.setWanted(listeners.keys());
      };
    },
    sync() {
      if (closed) return Promise.reject(new Error('jobprogress: client is closed'));
      return hub.sync();
    },
    getState: () => state,
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => void stateListeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      hub.close();
      listeners.clear();
      setState({ connected: false, usingWebSocket: false, mode: 'stopped', error: state.error });
      stateListeners.clear();
    },
  };
}
