// The load generator's clients: N authenticated connections (users x tabs), each subscribed to its user's
// jobs. "ws" speaks the jobprogress contract (peers A and B); "socketio" uses socket.io-client (peer C).
// Plain WebSocket connections use the lean client in wire.mjs unless useClient('ws') picked the `ws` package.
// Every progress frame whose message is "b <n> <sendEpochMicros>" is counted: latency, per-job count,
// and cross-user frames (a frame for a job that is not this connection's user's).
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { WireSocket } from './wire.mjs';

let wsPackage = false; // true: plain WebSocket connections use the `ws` package's client

/** Which client plain WebSocket connections use: 'wire' (wire.mjs, the default) or 'ws' (the `ws` package). */
export function useClient(name) {
  if (name !== 'wire' && name !== 'ws') throw new Error(`bench: --client must be wire or ws, was "${name}"`);
  wsPackage = name === 'ws';
}

const nowMicros = () => (performance.timeOrigin + performance.now()) * 1000;

export class Stats {
  constructor(capacity) {
    this.lat = new Float64Array(capacity);
    this.n = 0;
    this.received = 0;
    this.cross = 0;
    this.dup = 0;
    this.errors = 0;
    this.last = 0;
    this.batchFrames = 0;
  }
  reset() { this.n = 0; this.received = 0; this.cross = 0; this.dup = 0; this.errors = 0; this.last = 0; this.batchFrames = 0; }
}

function onProgress(conn, stats, f) {
  if (typeof f.message !== 'string' || !f.message.startsWith('b ')) return;
  const [, nStr, sentStr] = f.message.split(' ');
  const t = nowMicros();
  if (f.userId !== conn.userId || !conn.jobs.has(f.jobId)) { stats.cross++; return; }
  const n = Number(nStr);
  const prev = conn.seen.get(f.jobId) || 0;
  if (n <= prev) stats.dup++;
  conn.seen.set(f.jobId, Math.max(prev, n));
  conn.count.set(f.jobId, (conn.count.get(f.jobId) || 0) + 1);
  stats.received++;
  stats.last = t;
  if (stats.n < stats.lat.length) stats.lat[stats.n++] = (t - Number(sentStr)) / 1000; // ms
}

let lastUrl = null; // the URL last parsed for the lean client, and its parts (every connection of a round shares it)
let lastParts = null;
function parsed(url) {
  if (url !== lastUrl) {
    const u = new URL(url);
    lastParts = { host: u.hostname, port: Number(u.port), path: u.pathname };
    lastUrl = url;
  }
  return lastParts;
}

/**
 * Opens one connection; resolves with the connection once "connected" arrived (with batchMs > 0, a
 * jobprogress connection first opts in to batching and resolves at the server's "options" answer).
 */
function open(kind, url, token, userId, jobs, stats, batchMs) {
  return new Promise((resolve, reject) => {
    const conn = { userId, jobs: new Set(jobs), seen: new Map(), count: new Map(), subscribed: 0, onSubscribed: null };
    const timer = setTimeout(() => { conn.close(); reject(new Error(`connect timeout (${userId})`)); }, 30000);
    const done = () => { clearTimeout(timer); resolve(conn); };
    const fail = (e) => { clearTimeout(timer); reject(e instanceof Error ? e : new Error(String(e))); };
    const subscribed = () => { conn.subscribed++; if (conn.subscribed === conn.jobs.size && conn.onSubscribed) conn.onSubscribed(); };
    if (kind === 'socketio') {
      const s = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
      conn.close = () => s.disconnect();
      conn.subscribe = (jobId) => s.emit('subscribe', { jobId });
      s.on('connected', done);
      s.on('connect_error', fail);
      s.on('subscribed', subscribed);
      s.on('error_frame', () => stats.errors++);
      s.on('progress', (f) => onProgress(conn, stats, f));
      return;
    }
    const onMessage = (data) => {
      const f = JSON.parse(data);
      if (f.type === 'progress') onProgress(conn, stats, f);
      else if (f.type === 'batch') { stats.batchFrames++; for (const e of f.events) onProgress(conn, stats, e); }
      else if (f.type === 'connected' && batchMs > 0) conn.send(JSON.stringify({ type: 'options', data: { batch: true, batchWindowMs: batchMs } }));
      else if (f.type === 'connected' || f.type === 'options') done();
      else if (f.type === 'subscribed') subscribed();
      else if (f.type === 'error') stats.errors++;
    };
    if (wsPackage) {
      const ws = new WebSocket(`${url}?token=${encodeURIComponent(token)}`, { perMessageDeflate: false });
      conn.send = (text) => ws.send(text);
      conn.close = () => ws.terminate();
      ws.on('error', fail);
      ws.on('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
      ws.on('message', onMessage);
      ws.on('close', (code, reason) => fail(new Error(`closed: ${code} ${reason}`))); // no-op once connected
    } else {
      const u = parsed(url);
      const ws = new WireSocket(u.host, u.port, `${u.path}?token=${encodeURIComponent(token)}`);
      conn.send = (text) => ws.send(text);
      conn.close = () => ws.terminate();
      ws.onError = fail;
      ws.onMessage = onMessage;
      ws.onClose = (code, reason) => fail(new Error(`closed: ${code} ${reason}`)); // no-op once connected
    }
    conn.subscribe = (jobId) => conn.send(JSON.stringify({ type: 'subscribe', data: { jobId } }));
  });
}

/**
 * Opens every connection in specs ({token, userId, jobs}) with at most inFlight handshakes at once.
 * Returns { conns, connectMs[], seconds, failed }.
 */
export async function connectAll(kind, url, specs, inFlight, stats, batchMs = 0) {
  const conns = [];
  const connectMs = [];
  let failed = 0;
  let next = 0;
  const t0 = performance.now();
  async function lane() {
    while (next < specs.length) {
      const s = specs[next++];
      const t = performance.now();
      try {
        conns.push(await open(kind, url, s.token, s.userId, s.jobs, stats, batchMs));
        connectMs.push(performance.now() - t);
      } catch (e) {
        failed++;
        if (failed <= 3) console.error(`  connect failed: ${e.message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { conns, connectMs, seconds: (performance.now() - t0) / 1000, failed };
}

/** Subscribes every connection to each of its jobs; resolves once all are confirmed (or rejects after timeoutMs). */
export function subscribeAll(conns, timeoutMs = 60000) {
  return new Promise((resolve, reject) => {
    let left = conns.length;
    if (left === 0) { resolve(); return; }
    const t = setTimeout(() => reject(new Error(`subscribe: ${left} connections unconfirmed after ${timeoutMs} ms`)), timeoutMs);
    for (const c of conns) {
      c.onSubscribed = () => { if (--left === 0) { clearTimeout(t); resolve(); } };
      for (const j of c.jobs) c.subscribe(j);
    }
  });
}

/**
 * With batching, a job's newer update replaces its waiting one (latest wins), so fewer updates than published
 * arrive by design; what must hold is that every connection ends at its job's newest update. Returns the
 * number of (connection, job) pairs whose last update is older than the newest any connection received.
 */
export function behindLatest(conns) {
  const newest = new Map();
  for (const c of conns) for (const [j, n] of c.seen) newest.set(j, Math.max(newest.get(j) || 0, n));
  let behind = 0;
  for (const c of conns) for (const j of c.jobs) if ((c.seen.get(j) || 0) < (newest.get(j) || 0)) behind++;
  return behind;
}
