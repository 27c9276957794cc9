/**
 * Who a token belongs to, as a partition key: tabs share a socket (and see each other's frames) only
 * when their keys are equal.
 *
 * The key is read from the JWT payload WITHOUT verifying the signature: it only decides which tabs may
 * pool their connection, the server still verifies every token. It is a SHA-256 hex prefix, so lock and
 * channel names never carry the raw user id. A token that is not a JWT with a subject (an opaque token)
 * is keyed by its own hash: such a tab shares only with tabs holding the very same token.
 *
 * Pure functions, synchronous (a small SHA-256 here, because `crypto.subtle` is async and missing on
 * plain-http pages), safe to call during a React render.
 * @module
 */

const ror = (/** @type {number} */ x, /** @type {number} */ n) => (x >>> n) | (x << (32 - n));
const PRIMES = [];
for (let n = 2; PRIMES.length < 64; n += 1) if (PRIMES.every((p) => n % p !== 0)) PRIMES.push(n);
const fraction32 = (/** @type {number} */ x) => ((x - Math.floor(x)) * 2 ** 32) >>> 0;
const K = PRIMES.map((p) => fraction32(Math.cbrt(p)));
const H0 = PRIMES.slice(0, 8).map((p) => fraction32(Math.sqrt(p)));

/**
 * SHA-256 of a string's UTF-8 bytes, as 64 lowercase hex digits (FIPS 180-4).
 * @param {string} text
 * @returns {string}
 */
export function sha256Hex(text) {
  const bytes = new TextEncoder().encode(text);
  const padded = new Uint8Array(((bytes.length + 9 + 63) >> 6) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bytes.length / 2 ** 29));
  view.setUint32(padded.length - 4, (bytes.length * 8) >>> 0);
  const h = H0.slice();
  const w = new Uint32Array(64);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i += 1) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i += 1) {
      const s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i += 1) {
      const t1 = (hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) | 0, c, b, a, (t1 + t2) | 0];
    }
    [a, b, c, d, e, f, g, hh].forEach((value, i) => { h[i] = (h[i] + value) | 0; });
  }
  return h.map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
}

/**
 * The subject of a JWT, read without verifying it: `iss` and `sub` of the payload, or undefined when the
 * token is not a JWT or has no string `sub`.
 * @param {string} token
 * @returns {string | undefined} `"<iss>\n<sub>"` (iss empty when absent)
 */
export function tokenSubject(token) {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === '') return undefined;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
    if (typeof payload?.sub !== 'string' || payload.sub === '') return undefined;
    return `${typeof payload.iss === 'string' ? payload.iss : ''}\n${payload.sub}`;
  } catch {
    return undefined;
  }
}

/**
 * The partition key of a token: 16 hex digits of SHA-256 over its identity (`identityOf(token)`, by
 * default the JWT's issuer and subject), or over the token itself when it has none. Null for no token.
 * @param {string | null | undefined} token
 * @param {(token: string) => string | undefined} [identityOf]
 * @returns {string | null}
 */
export function identityKey(token, identityOf = tokenSubject) {
  if (typeof token !== 'string' || token === '') return null;
  const identity = identityOf(token);
  return sha256Hex(identity !== undefined && identity !== '' ? `identity\n${identity}` : `token\n${token}`).slice(0, 16);
}

/**
 * The Web Lock and BroadcastChannel name of the tabs of one user at one endpoint.
 * @param {string} url the WebSocket endpoint
 * @param {string} key from {@link identityKey}
 * @returns {string}
 */
export function groupName(url, key) {
  return `jobprogress:${url}#${key}`;
}
