/**
 * Caches the access token and fetches a fresh one at most once at a time.
 *
 * Several parts of the client may need a new token at the same moment (the socket was closed with
 * `token_expired`, a poll got 401, the server sent `token_expiring`); they all share one `getToken()`
 * call ("single flight").
 * @module
 */

/**
 * @param {() => string | Promise<string>} getToken the application's token provider
 * @returns {{ current(): Promise<string>, refresh(): Promise<string> }}
 */
export function createTokenSource(getToken) {
  /** @type {string | undefined} */
  let token;
  /** @type {Promise<string> | null} */
  let inFlight = null;

  function refresh() {
    if (!inFlight) {
      inFlight = Promise.resolve()
        .then(getToken)
        .then((fresh) => {
          if (typeof fresh !== 'string' || fresh === '') throw new Error('jobprogress: getToken() returned no token');
          token = fresh;
          return fresh;
        })
        .finally(() => {
          inFlight = null;
        });
    }
    return inFlight;
  }

  return {
    /** The cached token, fetched on first use. */
    current: () => (token !== undefined ? Promise.resolve(token) : refresh()),
    /** A fresh token from `getToken()`; concurrent callers share one call. */
    refresh,
  };
}
