import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flush, follow, progressFrame, setup } from '../test-support/setup.js';

test('a failed WebSocket falls back to polling and polling stops when the WebSocket is back', async () => {
  const { client, WebSocket, timers, api, states } = setup();
  api.setJob('J1', { status: 'processing', progress: 20 });
  const job = follow(client, 'J1');
  await flush();
  assert.equal(api.calls.length, 0, 'no polling while the first connection attempt is pending');
  WebSocket.last.serverClose(1006);
  await flush();
  assert.equal(states.at(-1).mode, 'polling');
  assert.equal(states.at(-1).usingWebSocket, false);
  assert.deepEqual(api.calls.map((c) => c.url), ['http://test.local/api/jobs/J1']);
  assert.equal(api.calls[0].headers.Authorization, 'Bearer t1');
  assert.deepEqual(job.progress(), [20]);

  await timers.advance(250); // the reconnect attempt (random 0.5 of 500 ms)
  const ws = WebSocket.last;
  assert.equal(WebSocket.instances.length, 2);
  ws.accept();
  assert.deepEqual(states.at(-1), { connected: true, usingWebSocket: true, mode: 'websocket', error: null });
  assert.equal(timers.pending(), 0, 'the poll timer is cancelled');
  await timers.advance(10000);
  assert.equal(api.calls.length, 1);
  ws.receive(progressFrame('J1', { progress: 30, timestamp: '2030-01-01T00:00:00Z' }));
  assert.deepEqual(job.progress(), [20, 30]);
  client.close();
});

test('polling sends If-None-Match with the last ETag and a 304 changes nothing', async () => {
  const { client, timers, api } = setup({ enableWebSocket: false });
  api.setJob('J1', { status: 'processing', progress: 20 });
  const job = follow(client, 'J1');
  await flush();
  assert.equal(api.calls[0].headers['If-None-Match'], undefined);
  await timers.advance(2000);
  assert.equal(api.calls.length, 2);
  assert.equal(api.calls[1].headers['If-None-Match'], '"v1"');
  assert.deepEqual(job.progress(), [20]);
  api.setJob('J1', { status: 'processing', progress: 60 });
  await timers.advance(2000);
  assert.deepEqual(job.progress(), [20, 60]);
  assert.equal(job.events.at(-1).type, 'progress');
  client.close();
});

test('polling a job stops at a terminal status', async () => {
  const { client, timers, api } = setup({ enableWebSocket: false, pollInterval: 1000 });
  api.setJob('J1', { status: 'processing', progress: 90 });
  api.setJob('J2', { status: 'processing', progress: 10 });
  const job = follow(client, 'J1');
  follow(client, 'J2');
  await flush();
  api.setJob('J1', { status: 'completed', progress: 100 });
  await timers.advance(1000);
  assert.deepEqual(job.events.map((e) => e.status), ['processing', 'completed']);
  const callsForJ1 = () => api.calls.filter((c) => c.url.endsWith('/J1')).length;
  const before = callsForJ1();
  await timers.advance(10000);
  assert.equal(callsForJ1(), before);
  assert.equal(timers.pending(), 1, 'only J2 is still polled');
  assert.equal(client.getState().mode, 'polling');
  client.close();
  assert.equal(timers.pending(), 0);
});

test('an unknown job is reported once as not_found and polled on', async () => {
  const { client, timers, api } = setup({ enableWebSocket: false });
  const job = follow(client, 'nope');
  await timers.advance(4000);
  assert.equal(api.calls.length, 3);
  assert.deepEqual(job.events, [{ type: 'error', jobId: 'nope', code: 'not_found', error: 'job not found' }]);
  client.close();
});

test('concurrent 401 answers share one getToken call and polling goes on with the new token', async () => {
  const { client, timers, api, tokenCalls } = setup({ enableWebSocket: false });
  api.setJob('J1', { status: 'processing', progress: 1 });
  api.setJob('J2', { status: 'processing', progress: 2 });
  api.acceptOnly('t2');
  const one = follow(client, 'J1');
  const two = follow(client, 'J2');
  await flush();
  assert.deepEqual(tokenCalls, ['t1', 't2']);
  await timers.advance(2000);
  assert.deepEqual(api.calls.slice(-2).map((c) => c.headers.Authorization), ['Bearer t2', 'Bearer t2']);
  assert.deepEqual([one.progress(), two.progress()], [[1], [2]]);
  client.close();
});

test('a 401 that a new token does not cure stops polling and reports invalid_token', async () => {
  const { client, timers, api, states } = setup({ enableWebSocket: false, tokens: ['only'] });
  api.setJob('J1', { status: 'processing', progress: 1 });
  api.acceptOnly('other');
  follow(client, 'J1');
  await flush();
  assert.equal(timers.pending(), 0);
  assert.deepEqual(states.at(-1).error.code, 'invalid_token');
  assert.equal(states.at(-1).mode, 'stopped');
  client.close();
});
