import assert from 'node:assert/strict';
import { register } from 'node:module';
import { after, before, test } from 'node:test';
import { createFakeWebSocket, flush } from '../test-support/fakes.js';
import { jwt, progressFrame } from '../test-support/setup.js';

register('../test-support/react-loader.js', import.meta.url);
const { renderHook } = await import('../test-support/fake-react.js');
const { useJobProgress, defaultWebSocketUrl } = await import('../src/react.js');

const saved = {};
let WebSocket;
before(() => {
  for (const name of ['WebSocket', 'location']) saved[name] = Object.getOwnPropertyDescriptor(globalThis, name);
  WebSocket = createFakeWebSocket();
  Object.defineProperty(globalThis, 'WebSocket', { value: WebSocket, configurable: true, writable: true });
  Object.defineProperty(globalThis, 'location', { value: { protocol: 'https:', host: 'app.example' }, configurable: true });
});
after(() => {
  for (const [name, descriptor] of Object.entries(saved)) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete globalThis[name];
  }
});

const options = { enablePolling: false };

/** Awaits a condition (checked once per macrotask turn), failing after 5 s. */
async function until(condition) {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('useJobProgress returns job, status, progress, stage and message and follows the job over the WebSocket', async () => {
  const view = renderHook(useJobProgress, 'J1', 'token-a', options);
  assert.deepEqual(view.result, { progress: 0, status: null, stage: null, message: null, isConnected: false, usingWebSocket: false, mode: 'connecting', error: null, errorMessage: null, isTerminal: false, recovered: undefined });
  await flush();
  const ws = WebSocket.last;
  assert.equal(ws.url, 'wss://app.example/ws', 'the token stays out of the URL by default');
  assert.deepEqual(ws.protocols, ['jobprogress.v1', 'bearer.token-a']);
  ws.accept();
  ws.receive(progressFrame('J1', { seq: 1, progress: 45, stage: 'inference', message: 'Running model inference...' }));
  assert.deepEqual(view.result, { progress: 45, status: 'processing', stage: 'inference', message: 'Running model inference...', isConnected: true, usingWebSocket: true, mode: 'websocket', error: null, errorMessage: null, isTerminal: false, recovered: undefined });
  view.unmount();
  await flush();
  assert.deepEqual(ws.closedByClient, { code: 1000, reason: 'client_closed' });
});

test('hooks with the same url and token share one client that closes with the last of them', async () => {
  const before = WebSocket.instances.length;
  const first = renderHook(useJobProgress, 'J1', 'token-b', options);
  const second = renderHook(useJobProgress, 'J2', 'token-b', options);
  await flush();
  assert.equal(WebSocket.instances.length, before + 1);
  const ws = WebSocket.last;
  ws.accept();
  assert.deepEqual(ws.takeSent().map((f) => f.data.jobId), ['J1', 'J2']);
  first.unmount();
  assert.deepEqual(ws.takeSent(), [{ type: 'unsubscribe', data: { jobId: 'J1' } }]);
  assert.equal(ws.closedByClient, null);
  second.unmount();
  await flush();
  assert.notEqual(ws.closedByClient, null);
});

test('changing the job id follows the new job and forgets the old state', async () => {
  const view = renderHook(useJobProgress, 'J1', 'token-c', options);
  await flush();
  const ws = WebSocket.last;
  ws.accept();
  ws.receive(progressFrame('J1', { seq: 1, progress: 80 }));
  assert.equal(view.result.progress, 80);
  view.rerender('J2', 'token-c', options);
  assert.equal(view.result.progress, 0);
  await flush();
  assert.equal(WebSocket.last, ws, 'the client and its socket are reused');
  assert.equal(ws.closedByClient, null);
  assert.deepEqual(ws.takeSent().map((f) => [f.type, f.data.jobId]), [['subscribe', 'J1'], ['unsubscribe', 'J1'], ['subscribe', 'J2']]);
  view.unmount();
  await flush();
});

test('the default WebSocket URL follows the page’s scheme and host', () => {
  assert.equal(defaultWebSocketUrl({ protocol: 'http:', host: 'localhost:8080' }), 'ws://localhost:8080/ws');
  assert.equal(defaultWebSocketUrl({ protocol: 'https:', host: 'app.example' }), 'wss://app.example/ws');
});

test('useJobProgress with tokenTransport query puts the token in the URL for servers without the bearer subprotocol', async () => {
  const view = renderHook(useJobProgress, 'J9', 'token-s', { ...options, tokenTransport: 'query' });
  await flush();
  const ws = WebSocket.last;
  assert.equal(ws.url, 'wss://app.example/ws?token=token-s');
  assert.equal(ws.protocols, undefined);
  view.unmount();
  await flush();
});

test('useJobProgress exposes recovered from the last subscribed answer and resets it for a new job', async () => {
  const view = renderHook(useJobProgress, 'J1', 'token-r', options);
  await flush();
  const first = WebSocket.last;
  first.accept();
  first.receive({ type: 'subscribed', jobId: 'J1', timestamp: 't' });
  first.receive(progressFrame('J1', { seq: 2, epoch: 'e1', progress: 20 }));
  assert.equal(view.result.recovered, undefined);
  first.serverClose(1006);
  await until(() => WebSocket.last !== first); // the hook's client reconnects on a real timer (< 500 ms)
  const second = WebSocket.last;
  second.accept();
  assert.deepEqual(second.takeSent(), [{ type: 'subscribe', data: { jobId: 'J1', sinceSeq: 2, epoch: 'e1' } }]);
  second.receive({ type: 'subscribed', jobId: 'J1', recovered: true, timestamp: 't' });
  assert.equal(view.result.recovered, true);
  second.receive({ type: 'subscribed', jobId: 'J1', recovered: false, timestamp: 't' });
  assert.equal(view.result.recovered, false);
  view.rerender('J2', 'token-r', options);
  assert.equal(view.result.recovered, undefined);
  view.unmount();
  await flush();
});

/** Renders the hook and records (jobId, status, progress) of every render. */
function recordRenders(...args) {
  const renders = [];
  const view = renderHook((jobId, token, opts) => {
    const result = useJobProgress(jobId, token, opts);
    renders.push([jobId, result.status, result.progress]);
    return result;
  }, ...args);
  return { view, renders };
}

test('a new jobId never renders the previous job’s state, not even for one render', async () => {
  const { view, renders } = recordRenders('JA', 'token-n', options);
  await flush();
  const ws = WebSocket.last;
  ws.accept();
  ws.receive(progressFrame('JA', { seq: 9, status: 'completed', progress: 100 }));
  assert.equal(view.result.isTerminal, true);
  view.rerender('JB', 'token-n', options);
  ws.receive(progressFrame('JB', { seq: 1, progress: 10 }));
  const forB = renders.filter(([jobId]) => jobId === 'JB');
  assert.deepEqual(forB[0], ['JB', null, 0], 'the first render of JB shows nothing yet');
  assert.deepEqual(forB.filter(([, status, progress]) => status === 'completed' || progress === 100), []);
  assert.deepEqual(forB.at(-1), ['JB', 'processing', 10]);
  assert.equal(view.result.isTerminal, false);
  view.unmount();
  await flush();
});

test('a token refresh of the same user keeps the client and its socket; the next refresh frame carries the new token', async () => {
  const first = jwt({ sub: 'hook-user', exp: 2000000000 });
  const refreshed = jwt({ sub: 'hook-user', exp: 2000003600 });
  const before = WebSocket.instances.length;
  const { view, renders } = recordRenders('JT', first, options);
  await flush();
  const ws = WebSocket.last;
  ws.accept();
  ws.receive(progressFrame('JT', { seq: 1, progress: 40 }));
  const rendersBefore = renders.length;
  view.rerender('JT', refreshed, options);
  await flush();
  assert.equal(WebSocket.instances.length, before + 1, 'no second socket');
  assert.equal(ws.closedByClient, null);
  assert.deepEqual(renders.slice(rendersBefore).map(([, , progress]) => progress), [40], 'no flash of 0 %');
  assert.equal(view.result.mode, 'websocket');
  ws.takeSent();
  ws.receive({ type: 'token_expiring', expiresIn: 30 });
  await flush();
  assert.deepEqual(ws.takeSent(), [{ type: 'refresh', data: { token: refreshed } }]);
  view.rerender('JT', jwt({ sub: 'someone-else', exp: 2000000000 }), options);
  await flush();
  assert.notEqual(WebSocket.last, ws, 'another user gets another client');
  assert.equal(view.result.progress, 0, 'and nothing of the previous user’s job');
  view.unmount();
  await flush();
});

test('mode and a structured error tell forbidden, a fatal invalid_token and idle apart', async () => {
  const view = renderHook(useJobProgress, 'JF', 'token-f', options);
  assert.equal(view.result.mode, 'connecting');
  await flush();
  const ws = WebSocket.last;
  ws.accept();
  ws.receive({ type: 'error', jobId: 'JF', code: 'forbidden', error: 'Access denied to job JF', timestamp: 't' });
  assert.deepEqual([view.result.mode, view.result.error, view.result.errorMessage],
    ['websocket', { code: 'forbidden', message: 'Access denied to job JF' }, 'Access denied to job JF']);
  ws.serverClose(1008, 'invalid_token');
  assert.equal(view.result.mode, 'stopped');
  assert.equal(view.result.error.code, 'forbidden', 'the job’s own error comes first');
  view.rerender('JG', 'token-f', options);
  await flush();
  view.unmount();
  await flush();
  const idle = renderHook(useJobProgress, null, 'token-f', options);
  assert.deepEqual([idle.result.mode, idle.result.error, idle.result.isConnected], ['idle', null, false]);
  idle.unmount();
});

test('a fatal close reaches the hook as error.code with mode stopped', async () => {
  const view = renderHook(useJobProgress, 'JX', 'token-x', options);
  await flush();
  const ws = WebSocket.last;
  ws.accept();
  ws.serverClose(1008, 'invalid_token');
  assert.deepEqual([view.result.mode, view.result.error?.code, view.result.usingWebSocket], ['stopped', 'invalid_token', false]);
  view.unmount();
  await flush();
});

test('with stopWhenTerminal the hook keeps the final state, goes idle and its client closes', async () => {
  const view = renderHook(useJobProgress, 'JS', 'token-t', { ...options, stopWhenTerminal: true });
  await flush();
  const ws = WebSocket.last;
  ws.accept();
  ws.receive(progressFrame('JS', { seq: 5, status: 'completed', progress: 100 }));
  await flush();
  assert.deepEqual([view.result.status, view.result.progress, view.result.isTerminal, view.result.mode], ['completed', 100, true, 'idle']);
  assert.deepEqual(ws.closedByClient, { code: 1000, reason: 'client_closed' }, 'no socket left to reconnect');
  view.unmount();
});
