import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../src/connection.js';
import { connectLive, flush, follow, progressFrame, setup } from '../test-support/setup.js';

test('the first subscribe connects with the token in the URL and subscribes once connected', async () => {
  const { client, WebSocket, states } = setup({ tokenTransport: 'query' });
  follow(client, 'J1');
  await flush();
  assert.equal(WebSocket.instances.length, 1);
  assert.equal(WebSocket.last.url, 'ws://test.local/ws?token=t1');
  assert.deepEqual(WebSocket.last.takeSent(), []);
  WebSocket.last.accept();
  assert.deepEqual(WebSocket.last.takeSent(), [{ type: 'subscribe', data: { jobId: 'J1' } }]);
  assert.deepEqual(states.at(-1), { connected: true, usingWebSocket: true, mode: 'websocket', error: null });
  client.close();
});

test('the last listener of a job leaving sends one unsubscribe frame', async () => {
  const { client, WebSocket } = setup();
  const first = follow(client, 'J1');
  const second = follow(client, 'J1');
  const ws = await connectLive(WebSocket);
  ws.takeSent();
  first.unsubscribe();
  assert.deepEqual(ws.takeSent(), []);
  second.unsubscribe();
  second.unsubscribe();
  assert.deepEqual(ws.takeSent(), [{ type: 'unsubscribe', data: { jobId: 'J1' } }]);
  client.close();
});

test('progress frames reach only the listeners of their job', async () => {
  const { client, WebSocket } = setup();
  const one = follow(client, 'J1');
  const two = follow(client, 'J2');
  const ws = await connectLive(WebSocket);
  ws.receive(progressFrame('J2', { seq: 1, progress: 10 }));
  assert.deepEqual(one.events, []);
  assert.deepEqual(two.progress(), [10]);
  client.close();
});

test('reordered, duplicated and old-epoch frames never move progress backwards', async () => {
  const { client, WebSocket } = setup();
  const job = follow(client, 'J1');
  const ws = await connectLive(WebSocket);
  for (const [seq, progress, epoch] of [[1, 10, 'a'], [3, 30, 'a'], [2, 20, 'a'], [3, 30, 'a'], [4, 40, 'a'], [1, 45, 'b'], [5, 50, 'a'], [2, 60, 'b']]) {
    ws.receive(progressFrame('J1', { seq, progress, epoch }));
  }
  assert.deepEqual(job.progress(), [10, 30, 40, 45, 60]);
  client.close();
});

test('reconnect delays use full jitter over an exponential window capped at 30 s', async () => {
  const draws = [0.999, 0.25, 0.999, 0.5, 0.999, 0.1, 0.999, 0.999, 0.999, 0.999, 0.999, 0.999];
  let call = 0;
  const { client, WebSocket, timers } = setup({ enablePolling: false, random: () => draws[call++] });
  follow(client, 'J1');
  await flush();
  const delays = [];
  for (let attempt = 0; attempt < draws.length; attempt++) {
    WebSocket.last.serverClose(1006);
    delays.push(await timers.runNext());
  }
  delays.forEach((delay, attempt) => {
    const window = Math.min(30000, 500 * 2 ** attempt);
    assert.ok(delay >= 0 && delay <= window, `attempt ${attempt}: ${delay} not within [0, ${window}]`);
    assert.equal(delay, draws[attempt] * window);
  });
  assert.equal(Math.max(...delays), 0.999 * 30000);
  assert.equal(WebSocket.instances.length, draws.length + 1);
  client.close();
});

test('a successful connection resets the backoff to the first window', async () => {
  const { client, WebSocket, timers } = setup({ enablePolling: false, random: () => 1 });
  follow(client, 'J1');
  await flush();
  WebSocket.last.serverClose(1006);
  assert.equal(await timers.runNext(), 500);
  WebSocket.last.serverClose(1006);
  assert.equal(await timers.runNext(), 1000);
  WebSocket.last.accept();
  WebSocket.last.serverClose(1006);
  assert.equal(await timers.runNext(), 500);
  client.close();
});

test('every subscribed job is subscribed again after a reconnect', async () => {
  const { client, WebSocket, timers } = setup({ enablePolling: false });
  follow(client, 'J1');
  follow(client, 'J2');
  const first = await connectLive(WebSocket);
  assert.equal(first.takeSent().length, 2);
  first.serverClose(1011, 'server_error');
  await timers.runNext();
  const second = WebSocket.last;
  assert.notEqual(second, first);
  second.accept();
  assert.deepEqual(second.takeSent(), [
    { type: 'subscribe', data: { jobId: 'J1' } },
    { type: 'subscribe', data: { jobId: 'J2' } },
  ]);
  client.close();
});

test('restart and try_later closes back off for at least a few seconds with jitter', async () => {
  for (const [code, reason, floor] of [[1012, 'restart', 2000], [1013, 'try_later', 5000], [1013, 'slow_consumer', 5000], [1008, 'rate_limited', 5000]]) {
    for (const draw of [0, 0.999]) {
      const { client, WebSocket, timers } = setup({ enablePolling: false, random: () => draw });
      follow(client, 'J1');
      await connectLive(WebSocket);
      WebSocket.last.serverClose(code, reason);
      const [delay] = timers.delays();
      assert.ok(delay >= floor && delay <= 2 * floor, `${reason}: ${delay}`);
      client.close();
    }
  }
});

test('token_expired fetches one new token for concurrent needs and reconnects with it', async () => {
  const { client, WebSocket, tokenCalls, timers } = setup({ enablePolling: false });
  follow(client, 'J1');
  const ws = await connectLive(WebSocket);
  ws.receive({ type: 'token_expiring', expiresAt: '2025-01-01T00:01:00Z' });
  ws.serverClose(1008, 'token_expired');
  await flush();
  assert.deepEqual(tokenCalls, ['t1', 't2']);
  assert.equal(WebSocket.instances.length, 2);
  assert.equal(WebSocket.last.token, 't2');
  assert.equal(timers.pending(), 0);
  WebSocket.last.accept();
  assert.equal(client.getState().mode, 'websocket');
  client.close();
});

test('token_expired stops when getToken returns the same expired token', async () => {
  const { client, WebSocket } = setup({ tokens: ['same'], enablePolling: false });
  follow(client, 'J1');
  (await connectLive(WebSocket)).serverClose(1008, 'token_expired');
  await flush();
  assert.equal(WebSocket.instances.length, 1);
  assert.equal(client.getState().mode, 'stopped');
  assert.equal(client.getState().error.code, 'token_expired');
  client.close();
});

test('invalid_token and forbidden stop all retries and report the reason', async () => {
  for (const reason of ['invalid_token', 'forbidden']) {
    const { client, WebSocket, timers, api, states } = setup();
    api.setJob('J1', { status: 'processing', progress: 5 });
    follow(client, 'J1');
    await flush();
    WebSocket.last.serverClose(1008, reason);
    await timers.advance(120000);
    assert.equal(WebSocket.instances.length, 1);
    assert.equal(api.calls.length, 0);
    assert.equal(timers.pending(), 0);
    assert.equal(states.at(-1).mode, 'stopped');
    assert.equal(states.at(-1).error.code, reason);
    client.close();
  }
});

test('a token_expiring frame is answered with a refresh frame carrying a fresh token', async () => {
  const { client, WebSocket, tokenCalls } = setup();
  follow(client, 'J1');
  const ws = await connectLive(WebSocket);
  ws.takeSent();
  ws.receive({ type: 'token_expiring', expiresAt: '2025-01-01T00:01:00Z' });
  await flush();
  assert.deepEqual(ws.takeSent(), [{ type: 'refresh', data: { token: 't2' } }]);
  assert.deepEqual(tokenCalls, ['t1', 't2']);
  ws.serverClose(1006);
  await flush();
  client.close();
});

test('an error frame about a job reaches that job’s listeners', async () => {
  const { client, WebSocket } = setup();
  const job = follow(client, 'J1');
  const ws = await connectLive(WebSocket);
  ws.receive({ type: 'error', error: 'Not allowed', code: 'forbidden', jobId: 'J1', timestamp: 'x' });
  assert.deepEqual(job.events, [{ type: 'error', jobId: 'J1', code: 'forbidden', error: 'Not allowed' }]);
  client.close();
});

test('close() closes the socket normally and leaves no timer pending', async () => {
  const { client, WebSocket, timers, states } = setup();
  follow(client, 'J1');
  await flush();
  WebSocket.last.serverClose(1006);
  await flush();
  assert.ok(timers.pending() > 0);
  await timers.runNext();
  client.close();
  assert.equal(timers.pending(), 0);
  assert.deepEqual(WebSocket.last.closedByClient, { code: 1000, reason: 'client_closed' });
  assert.equal(states.at(-1).mode, 'stopped');
  await timers.advance(60000);
  assert.equal(WebSocket.instances.length, 2);
});

test('backoffDelay is floor plus random times the window, never above the maximum', () => {
  const backoff = { initialMs: 500, maxMs: 30000 };
  assert.equal(backoffDelay(0, backoff, () => 1), 500);
  assert.equal(backoffDelay(3, backoff, () => 0.5), 2000);
  assert.equal(backoffDelay(20, backoff, () => 1), 30000);
  assert.equal(backoffDelay(0, backoff, () => 0, 5000), 5000);
  assert.equal(backoffDelay(10, backoff, () => 1, 5000), 30000);
});
