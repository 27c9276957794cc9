import { createJobProgressClient } from '../src/jobprogress-client.js';
import { createFakeApi, createFakeTimers, createFakeWebSocket, flush } from './fakes.js';

/**
 * A client wired to fakes, without tab sharing. `tokens` are handed out by getToken in order (the last
 * one repeats); `random` is fixed unless given.
 */
export function setup({ tokens = ['t1', 't2', 't3'], random = () => 0.5, ...options } = {}) {
  const timers = createFakeTimers();
  const WebSocket = createFakeWebSocket();
  const api = createFakeApi();
  const tokenCalls = [];
  const getToken = async () => {
    const token = tokens[Math.min(tokenCalls.length, tokens.length - 1)];
    tokenCalls.push(token);
    return token;
  };
  const client = createJobProgressClient({
    url: 'ws://test.local/ws',
    baseUrl: 'http://test.local',
    getToken,
    WebSocket,
    fetch: api.fetch,
    random,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    shareAcrossTabs: false,
    ...options,
  });
  const states = [];
  client.onStateChange((state) => states.push(state));
  return { client, timers, WebSocket, api, tokenCalls, states };
}

/** Subscribes and collects every event the listener receives. */
export function follow(client, jobId) {
  const events = [];
  const unsubscribe = client.subscribe(jobId, (event) => events.push(event));
  return { events, unsubscribe, progress: () => events.filter((e) => e.type === 'progress').map((e) => e.progress) };
}

/** A progress frame with defaults. */
export function progressFrame(jobId, fields = {}) {
  return { type: 'progress', jobId, userId: 'u1', status: 'processing', progress: 0, stage: 's', message: 'm', timestamp: '2025-01-01T00:00:00.000Z', ...fields };
}

/** Subscribes nothing; waits until the client's socket exists and accepts it. */
export async function connectLive(WebSocket) {
  await flush();
  const ws = WebSocket.last;
  ws.accept();
  return ws;
}

export { flush };

/** An unsigned-looking JWT (`header.payload.signature`) with these claims; the client never verifies it. */
export function jwt(claims) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}
