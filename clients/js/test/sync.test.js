import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectLive, flush, follow, progressFrame, setup } from '../test-support/setup.js';

test('sync() connects without any job, sends one sync frame and resolves with the count and the jobs', async () => {
  const { client, WebSocket } = setup({ enablePolling: false });
  const result = client.sync();
  const ws = await connectLive(WebSocket);
  assert.deepEqual(ws.takeSent(), [{ type: 'sync' }]);
  ws.receive(progressFrame('A', { seq: 3, epoch: 'e', status: 'completed', progress: 100 }));
  ws.receive(progressFrame('B', { seq: 1, epoch: 'e', progress: 10 }));
  ws.receive({ type: 'synced', count: 2, timestamp: 't' });
  const { count, jobs } = await result;
  assert.equal(count, 2);
  assert.deepEqual(jobs.map((j) => [j.jobId, j.status, j.seq]), [['A', 'completed', 3], ['B', 'processing', 1]]);
  client.close();
});

test('sync answers reach the listeners of followed jobs under the ordering rule', async () => {
  const { client, WebSocket } = setup({ enablePolling: false });
  const job = follow(client, 'A');
  const ws = await connectLive(WebSocket);
  ws.receive(progressFrame('A', { seq: 5, epoch: 'e', progress: 50 }));
  ws.takeSent();
  const result = client.sync();
  assert.deepEqual(ws.takeSent(), [{ type: 'sync' }]);
  ws.receive(progressFrame('A', { seq: 4, epoch: 'e', progress: 40 }));
  ws.receive(progressFrame('A', { seq: 6, epoch: 'e', progress: 60 }));
  ws.receive({ type: 'synced', count: 2, timestamp: 't' });
  assert.equal((await result).count, 2);
  assert.deepEqual(job.progress(), [50, 60]);
  client.close();
});

test('two syncs in a row are answered in order', async () => {
  const { client, WebSocket } = setup({ enablePolling: false });
  const first = client.sync();
  const second = client.sync();
  const ws = await connectLive(WebSocket);
  assert.deepEqual(ws.takeSent(), [{ type: 'sync' }, { type: 'sync' }]);
  ws.receive(progressFrame('A', { seq: 1, epoch: 'e' }));
  ws.receive({ type: 'synced', count: 1, timestamp: 't' });
  ws.receive(progressFrame('A', { seq: 2, epoch: 'e' }));
  ws.receive(progressFrame('B', { seq: 1, epoch: 'e' }));
  ws.receive({ type: 'synced', count: 2, timestamp: 't' });
  const ids = ({ jobs }) => jobs.map((j) => `${j.jobId}:${j.seq}`);
  assert.deepEqual([(await first).count, (await second).count], [1, 2]);
  assert.deepEqual([ids(await first), ids(await second)], [['A:1'], ['A:2', 'B:1']]);
  client.close();
});

test('a server that does not know sync answers an error: the promise rejects and the socket keeps working', async () => {
  const { client, WebSocket } = setup({ enablePolling: false });
  const job = follow(client, 'J1');
  const ws = await connectLive(WebSocket);
  const result = client.sync();
  ws.receive({ type: 'error', error: 'Unknown message type: sync', timestamp: 't' });
  await assert.rejects(result, /jobprogress: sync refused by the server: Unknown message type: sync/);
  ws.receive(progressFrame('J1', { seq: 1, progress: 10 }));
  assert.deepEqual(job.progress(), [10]);
  assert.equal(client.getState().mode, 'websocket');
  client.close();
});

test('a socket that fails before synced rejects the sync, and a later sync works on the new socket', async () => {
  const { client, WebSocket, timers } = setup({ enablePolling: false });
  const result = client.sync();
  const ws = await connectLive(WebSocket);
  ws.serverClose(1006);
  await assert.rejects(result, /jobprogress: sync failed: the WebSocket is down \(close_1006\)/);
  await timers.runNext();
  const again = client.sync();
  WebSocket.last.accept();
  assert.deepEqual(WebSocket.last.takeSent(), [{ type: 'sync' }]);
  WebSocket.last.receive({ type: 'synced', count: 0, timestamp: 't' });
  assert.equal((await again).count, 0);
  client.close();
});

test('sync() without a WebSocket or after close() rejects with a clear error', async () => {
  const noSocket = setup({ enableWebSocket: false }).client;
  await assert.rejects(noSocket.sync(), /jobprogress: sync needs the WebSocket/);
  noSocket.close();
  const { client, WebSocket } = setup({ enablePolling: false });
  const pending = client.sync();
  await flush();
  client.close();
  await assert.rejects(pending, /jobprogress: sync failed: the client was closed/);
  await assert.rejects(client.sync(), /jobprogress: client is closed/);
  assert.deepEqual(WebSocket.last.closedByClient, { code: 1000, reason: 'client_closed' });
});
