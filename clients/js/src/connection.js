/**
 * One logical WebSocket connection to the jobprogress server: connects with the token, subscribes the
 * jobs it is given, reconnects with capped exponential backoff and full jitter, and reacts to the
 * server's close reasons.
 *
 * Lifecycle: nothing happens until `setJobs` is given a job; after `close()` nothing happens again.
 * @module
 */

/**
 * What the client does for each close reason the server documents. `fatal`: stop retrying;
 * `refresh`: get a new token, then reconnect at once; `slow`: back off at least 5 s; `restart`: back off
 * at least 2 s; anything else (1006, 1009, 1011, unknown): ordinary backoff.
 */
export const CLOSE_REASONS = Object.freeze({
  invalid_token: 'fatal',
  forbidden: 'fatal',
  token_expired: 'refresh',
  rate_limited: 'slow',
  connection_limit: 'slow',
  try_later: 'slow',
  slow_consumer: 'slow',
  restart: 'restart',
});

const FLOOR_MS = { retry: 0, restart: 2000, slow: 5000 };

/**
 * Delay before reconnect attempt `attempt` (0-based): `floor + random() * window`, where the window is
 * `min(maxMs, initialMs * 2^attempt)` ("full jitter") but at least `floor`, and the result is capped at
 * `maxMs`.
 * @param {number} attempt
 * @param {{initialMs: number, maxMs: number}} backoff
 * @param {() => number} random
 * @param {number} [floorMs]
 * @returns {number}
 */
export function backoffDelay(attempt, { initialMs, maxMs }, random, floorMs = 0) {
  const window = Math.max(floorMs, Math.min(maxMs, initialMs * 2 ** attempt));
  return Math.min(maxMs, floorMs + random() * window);
}

/**
 * @param {number} code
 * @param {string} reason
 * @returns {'fatal' | 'refresh' | 'slow' | 'restart' | 'retry'}
 */
function closeAction(code, reason) {
  const action = CLOSE_REASONS[/** @type {keyof typeof CLOSE_REASONS} */ (reason)];
  if (action) return action;
  if (code === 1012) return 'restart';
  if (code === 1013) return 'slow';
  return 'retry';
}

/**
 * @typedef {object} ConnectionStatus
 * @property {boolean} connected the server's `connected` frame arrived and the socket is open
 * @property {boolean} failed a connection attempt failed or the socket closed since the last success
 * @property {{code: string, message: string} | null} error why the connection is not available
 * @property {boolean} fatal no further attempts will be made
 */

/**
 * @param {object} options
 * @param {string} options.url WebSocket endpoint, e.g. `wss://host/ws`
 * @param {'query' | 'subprotocol'} [options.tokenTransport] `query` (default): `?token=`; `subprotocol`: the
 *   token is offered as `bearer.<jwt>` next to `jobprogress.v1` and stays out of URLs and access logs
 * @param {typeof WebSocket} options.WebSocket
 * @param {{ current(): Promise<string>, refresh(): Promise<string> }} options.tokens
 * @param {{initialMs: number, maxMs: number}} options.backoff
 * @param {() => number} options.random
 * @param {import('./index.js').Timers} options.timers
 * @param {(frame: any) => void} options.onFrame receives `progress` frames (also those unpacked from a
 *   `batch` frame, in order), `error`, `subscribed` and `synced` frames
 * @param {(status: ConnectionStatus) => void} options.onStatus
 * @param {(jobId: string) => ({seq: number, epoch: string} | undefined)} [options.resumeFrom] the newest
 *   seq and epoch known for a job; when given, its subscribe asks the server to replay what came after
 * @returns {{ setJobs(jobIds: Iterable<string>): void, start(): void, send(frame: object): boolean, close(): void }}
 */
export function createConnection({ url, tokenTransport = 'query', WebSocket, tokens, backoff, random, timers, onFrame, onStatus, resumeFrom = () => undefined }) {
  /** @type {Set<string>} */
  let jobs = new Set();
  /** Jobs subscribed on the current socket. */
  const subscribed = new Set();
  /** @type {WebSocket | null} */
  let socket = null;
  /** @type {string | undefined} */
  let socketToken;
  let started = false;
  let closed = false;
  let attempt = 0;
  /** @type {unknown} */
  let retryTimer = null;
  /** @type {ConnectionStatus} */
  let status = { connected: false, failed: false, error: null, fatal: false };

  /** @param {Partial<ConnectionStatus>} change */
  function setStatus(change) {
    status = { ...status, ...change };
    onStatus(status);
  }

  /**
   * @param {object} frame
   * @returns {boolean} whether the frame went out on an open, connected socket
   */
  function send(frame) {
    if (!socket || !status.connected) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  /**
   * A job the client knows nothing about gets the v1 subscribe; one with a known seq and epoch (seen on
   * an earlier socket, by polling or from another tab) gets the v1.1 resume form.
   * @param {string} jobId
   */
  function subscribeFrame(jobId) {
    const from = resumeFrom(jobId);
    if (!from) return { type: 'subscribe', data: { jobId } };
    return { type: 'subscribe', data: { jobId, sinceSeq: from.seq, epoch: from.epoch } };
  }

  function syncSubscriptions() {
    if (!status.connected) return;
    for (const jobId of jobs) {
      if (!subscribed.has(jobId)) send(subscribeFrame(jobId));
      subscribed.add(jobId);
    }
    for (const jobId of [...subscribed]) {
      if (jobs.has(jobId)) continue;
      send({ type: 'unsubscribe', data: { jobId } });
      subscribed.delete(jobId);
    }
  }

  async function connect() {
    retryTimer = null;
    let token;
    try {
      token = await tokens.current();
    } catch (error) {
      if (!closed) retry('retry', { code: 'token_unavailable', message: String(error) });
      return;
    }
    if (closed) return;
    const separator = url.includes('?') ? '&' : '?';
    let ws;
    try {
      ws = tokenTransport === 'subprotocol'
        ? new WebSocket(url, ['jobprogress.v1', `bearer.${token}`])
        : new WebSocket(`${url}${separator}token=${encodeURIComponent(token)}`);
    } catch (error) {
      setStatus({ connected: false, failed: true, fatal: true, error: { code: 'bad_url', message: String(error) } });
      return;
    }
    socket = ws;
    socketToken = token;
    ws.onmessage = (event) => socket === ws && handleFrame(event.data);
    ws.onclose = (event) => socket === ws && handleClose(event.code, event.reason);
  }

  /** @param {unknown} data */
  function handleFrame(data) {
    let frame;
    try {
      frame = JSON.parse(String(data));
    } catch {
      return;
    }
    switch (frame?.type) {
      case 'connected':
        attempt = 0;
        setStatus({ connected: true, failed: false, error: null });
        syncSubscriptions();
        break;
      case 'progress':
      case 'error':
      case 'subscribed':
      case 'synced':
        onFrame(frame);
        break;
      case 'batch':
        // Progress frames coalesced by the server (opt-in); each one goes through the same path.
        if (!Array.isArray(frame.events)) break;
        for (const event of frame.events) {
          if (event && typeof event === 'object' && (event.type ?? 'progress') === 'progress') onFrame({ ...event, type: 'progress' });
        }
        break;
      case 'token_expiring':
        tokens.refresh().then(
          (fresh) => {
            if (fresh === socketToken) return;
            socketToken = fresh;
            send({ type: 'refresh', data: { token: fresh } });
          },
          () => {} // The server will close with token_expired; handled there.
        );
        break;
      default:
      // unsubscribed, pong, token_refreshed: nothing to do.
    }
  }

  /**
   * @param {number} code
   * @param {string} reason
   */
  function handleClose(code, reason) {
    socket = null;
    subscribed.clear();
    if (closed) return;
    const action = closeAction(code, reason);
    const error = { code: reason || `close_${code}`, message: `WebSocket closed (${code}${reason ? ` ${reason}` : ''})` };
    if (action === 'fatal') {
      setStatus({ connected: false, failed: true, fatal: true, error });
      return;
    }
    if (action !== 'refresh') {
      retry(action, error);
      return;
    }
    setStatus({ connected: false, failed: true, error });
    const rejected = socketToken;
    tokens.refresh().then(
      (fresh) => {
        if (closed) return;
        if (fresh === rejected) setStatus({ fatal: true, error: { code: 'token_expired', message: 'getToken() returned the expired token' } });
        else connect();
      },
      (failure) => !closed && retry('retry', { code: 'token_unavailable', message: String(failure) })
    );
  }

  /**
   * @param {'retry' | 'slow' | 'restart'} kind
   * @param {{code: string, message: string}} error
   */
  function retry(kind, error) {
    setStatus({ connected: false, failed: true, error });
    retryTimer = timers.setTimeout(connect, backoffDelay(attempt++, backoff, random, FLOOR_MS[kind]));
  }

  function start() {
    if (closed || started) return;
    started = true;
    connect();
  }

  return {
    /** Keeps exactly these jobs subscribed; connects on the first job. */
    setJobs(jobIds) {
      if (closed) return;
      jobs = new Set(jobIds);
      syncSubscriptions();
      if (jobs.size > 0) start();
    },
    /** Connects if not done yet, even without jobs (for `sync`). */
    start,
    send,
    /** Closes the socket (code 1000) and cancels any pending reconnect. */
    close() {
      if (closed) return;
      closed = true;
      if (retryTimer != null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      const ws = socket;
      socket = null;
      if (ws) ws.close(1000, 'client_closed');
    },
  };
}
