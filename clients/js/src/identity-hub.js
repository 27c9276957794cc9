/**
 * Puts a client into the tab-sharing group of the user its token belongs to, so tabs of different users
 * (or of one user with and without a token) never share a socket or see each other's frames.
 *
 * Nothing happens until the first job is wanted (or `sync()` is called); then the client reads its
 * token. With a token it joins the shared hub named after the token's identity ({@link groupName}).
 * Without one (getToken fails or returns nothing) it joins no group: it runs a hub of its own, which
 * retries the token with backoff, so it never holds the lock other tabs wait for. Every token the
 * client reads afterwards (at a reconnect, a `token_expiring`, a 401 poll) is checked: when it belongs
 * to someone else, the client leaves its group (its socket, if it led, closes with 1000) and joins the
 * right one, forgetting what it knew of its jobs (`onIdentityChange`).
 *
 * A follower tab reads its token only when it joins or becomes the leader; an app that switches the
 * signed-in user in a tab should close its client and create another (`useJobProgress` does).
 * @module
 */
import { createHub } from './hub.js';
import { groupName, identityKey } from './identity.js';
import { createSharedHub } from './tab-sharing.js';

/**
 * @param {import('./jobprogress-client.js').ResolvedOptions} config
 * @param {import('./hub.js').HubCallbacks & {onIdentityChange(): void}} callbacks
 * @param {{url: string, identityOf?: (token: string) => string | undefined} & Omit<import('./tab-sharing.js').SharingEnvironment, 'name'>} environment
 * @returns {Pick<import('./hub.js').Hub, 'setWanted' | 'sync' | 'close'>}
 */
export function createIdentityHub(config, callbacks, { url, identityOf, locks, BroadcastChannel }) {
  /** @type {Pick<import('./hub.js').Hub, 'setWanted' | 'sync' | 'close'> | null} */
  let inner = null;
  /** @type {string | null | undefined} the current group's key; null: no token, no group */
  let key;
  /** @type {string | undefined} */
  let lastToken;
  let started = false;
  let closed = false;
  /** @type {Set<string>} */
  let wanted = new Set();
  /** @type {Array<{resolve: (r: any) => void, reject: (e: Error) => void}>} sync() calls before a group was joined */
  const waitingSyncs = [];

  /** @param {string} token every token this client reads passes here */
  function seen(token) {
    if (!closed && token !== lastToken) {
      lastToken = token;
      join(identityKey(token, identityOf));
    }
    return token;
  }

  const tokens = {
    current: () => config.tokens.current().then(seen),
    refresh: () => config.tokens.refresh().then(seen),
  };
  const innerConfig = { ...config, tokens };

  /** @param {string | null} next */
  function join(next) {
    if (closed || (inner && next === key)) return;
    const switching = inner !== null && key !== null && next !== null;
    inner?.close();
    key = next;
    if (switching) callbacks.onIdentityChange();
    inner = next === null
      ? createHub(innerConfig, callbacks)
      : createSharedHub(innerConfig, callbacks, { name: groupName(url, next), locks, BroadcastChannel });
    inner.setWanted(wanted);
    for (const { resolve, reject } of waitingSyncs.splice(0)) inner.sync().then(resolve, reject);
  }

  function start() {
    if (started || closed) return;
    started = true;
    tokens.current().catch(() => join(null));
  }

  return {
    setWanted(jobIds) {
      if (closed) return;
      wanted = new Set(jobIds);
      if (inner) inner.setWanted(wanted);
      else if (wanted.size > 0) start();
    },
    sync() {
      if (closed) return Promise.reject(new Error('jobprogress: client is closed'));
      if (inner) return inner.sync();
      const result = new Promise((resolve, reject) => waitingSyncs.push({ resolve, reject }));
      start();
      return result;
    },
    close() {
      if (closed) return;
      closed = true;
      inner?.close();
      inner = null;
      for (const { reject } of waitingSyncs.splice(0)) reject(new Error('jobprogress: sync failed: the client was closed'));
    },
  };
}
