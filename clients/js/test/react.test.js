import assert from 'node:assert/strict';
import { register } from 'node:module';
import { after, before, test } from 'node:test';
import { createFakeWebSocket, flush } from '../test-support/fakes.js';
import { progressFrame } from '../test-support/setup.js';

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
  assert.deepEqual(view.result, { progress: 0, status: null, stage: null, message: null, isConnected: false, usingWebSocket: false, error: null, recovered: undefined });
  await flush();
  const ws = WebSocket.last;
  assert.equal(ws.url, 'wss://app.example/ws', 'the token stays out of the URL by default');
  assert.deepEqual(ws.protocols, ['jobprogress.v1', 'bearer.token-a']);
  ws.accept();
  ws.receive(progressFrame('J1', { seq: 1, progress: 45, stage: 'inference', message: 'Running model inference...' }));
  assert.deepEqual(view.result, { progress: 45, status: 'processing', stage: 'inference', message: 'Running model inference...', isConnected: true, usingWebSocket: true, error: null, recovered: undefined });
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
