import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectLive, flush, follow, progressFrame, setup } from '../test-support/setup.js';

/** Follows a job and also records what each `subscribed` answer said. */
function followWithRecovered(client, jobId) {
  const recovered = [];
  const events = [];
  client.subscribe(jobId, (event) => events.push(event), { onSubscribed: (info) => recovered.push(info.recovered) });
  return { events, recovered, seqs: () => events.filter((e) => e.type === 'progress').map((e) => `${e.epoch}:${e.seq}`) };
}

/** Drops the socket and lets the client reconnect; returns the new, accepted socket. */
async function reconnect(WebSocket, timers) {
  WebSocket.last.serverClose(1006);
  await timers.runNext();
  WebSocket.last.accept();
  return WebSocket.last;
}

test('the first subscribe is the v1 frame and a reconnect resumes from the newest seq and epoch seen', async () => {
  const { client, WebSocket, timers } = setup({ enablePolling: false });
  follow(client, 'J1');
  follow(client, 'J2');
  const first = await connectLive(WebSocket);
  assert.deepEqual(first.takeSent(), [
    { type: 'subscribe', data: { jobId: 'J1' } },
    { type: 'subscribe', data: { jobId: 'J2' } },
  ]);
  first.receive(progressFrame('J1', { seq: 3, epoch: 'e1', progress: 30 }));
  first.receive(progressFrame('J1', { seq: 2, epoch: 'e1', progress: 20 }));
  const second = await reconnect(WebSocket, timers);
  assert.deepEqual(second.takeSent(), [
    { type: 'subscribe', data: { jobId: 'J1', sinceSeq: 3, epoch: 'e1' } },
    { type: 'subscribe', data: { jobId: 'J2' } },
  ]);
  second.receive(progressFrame('J1', { seq: 4, epoch: 'e1', progress: 40 }));
  const third = await reconnect(WebSocket, timers);
  assert.deepEqual(third.takeSent()[0], { type: 'subscribe', data: { jobId: 'J1', sinceSeq: 4, epoch: 'e1' } });
  client.close();
});

test('a recovered resume delivers the replayed updates in order and drops what was already shown', async () => {
  const { client, WebSocket, timers } = setup({ enablePolling: false });
  const job = followWithRecovered(client, 'J1');
  const first = await connectLive(WebSocket);
  first.receive({ type: 'subscribed', jobId: 'J1', timestamp: 't' });
  first.receive(progressFrame('J1', { seq: 1, epoch: 'e1', progress: 10 }));
  first.receive(progressFrame('J1', { seq: 2, epoch: 'e1', progress: 20 }));
  const second = await reconnect(WebSocket, timers);
  second.receive({ type: 'subscribed', jobId: 'J1', recovered: true, timestamp: 't' });
  for (const seq of [3, 4, 2, 4, 5]) second.receive(progressFrame('J1', { seq, epoch: 'e1', progress: seq * 10 }));
  assert.deepEqual(job.recovered, [undefined, true]);
  assert.deepEqual(job.seqs(), ['e1:1', 'e1:2', 'e1:3', 'e1:4', 'e1:5']);
  client.close();
});

test('recovered false with a new epoch is accepted and later frames of the old epoch are not', async () => {
  const { client, WebSocket, timers } = setup({ enablePolling: false });
  const job = followWithRecovered(client, 'J1');
  const first = await connectLive(WebSocket);
  first.receive(progressFrame('J1', { seq: 7, epoch: 'e1', progress: 70 }));
  const second = await reconnect(WebSocket, timers);
  second.receive({ type: 'subscribed', jobId: 'J1', recovered: false, timestamp: 't' });
  second.receive(progressFrame('J1', { seq: 2, epoch: 'e2', progress: 50 }));
  second.receive(progressFrame('J1', { seq: 8, epoch: 'e1', progress: 80 }));
  second.receive(progressFrame('J1', { seq: 1, epoch: 'e2', progress: 40 }));
  second.receive(progressFrame('J1', { seq: 3, epoch: 'e2', progress: 60 }));
  assert.deepEqual(job.recovered, [false]);
  assert.deepEqual(job.seqs(), ['e1:7', 'e2:2', 'e2:3']);
  const third = await reconnect(WebSocket, timers);
  assert.deepEqual(third.takeSent(), [{ type: 'subscribe', data: { jobId: 'J1', sinceSeq: 3, epoch: 'e2' } }]);
  client.close();
});

test('frames of an old server without seq or epoch work as before and the reconnect stays v1', async () => {
  const { client, WebSocket, timers } = setup({ enablePolling: false });
  const job = followWithRecovered(client, 'J1');
  const first = await connectLive(WebSocket);
  first.receive({ type: 'subscribed', jobId: 'J1', timestamp: 't' });
  first.receive(progressFrame('J1', { progress: 10, timestamp: '2025-01-01T00:00:01Z' }));
  first.receive(progressFrame('J1', { progress: 30, timestamp: '2025-01-01T00:00:03Z' }));
  first.receive(progressFrame('J1', { progress: 20, timestamp: '2025-01-01T00:00:02Z' }));
  const second = await reconnect(WebSocket, timers);
  assert.deepEqual(second.takeSent(), [{ type: 'subscribe', data: { jobId: 'J1' } }]);
  second.receive(progressFrame('J1', { progress: 40, timestamp: '2025-01-01T00:00:04Z' }));
  assert.deepEqual(job.events.map((e) => e.progress), [10, 30, 40]);
  assert.deepEqual(job.recovered, [undefined]);
  client.close();
});

test('a batch frame is unpacked in order under the same rule: stale seqs dropped, a new epoch taken', async () => {
  const { client, WebSocket } = setup({ enablePolling: false });
  const one = followWithRecovered(client, 'J1');
  const two = followWithRecovered(client, 'J2');
  const ws = await connectLive(WebSocket);
  ws.receive(progressFrame('J1', { seq: 5, epoch: 'e1', progress: 50 }));
  ws.receive({
    type: 'batch',
    timestamp: 't',
    events: [
      progressFrame('J1', { seq: 4, epoch: 'e1', progress: 40 }),
      progressFrame('J2', { seq: 1, epoch: 'x', progress: 10 }),
      progressFrame('J1', { seq: 5, epoch: 'e1', progress: 50 }),
      progressFrame('J1', { seq: 6, epoch: 'e1', progress: 60 }),
      progressFrame('J2', { seq: 1, epoch: 'x', progress: 10 }),
      progressFrame('J1', { seq: 1, epoch: 'e2', progress: 5 }),
      progressFrame('J3', { seq: 9, epoch: 'x', progress: 90 }),
    ],
  });
  assert.deepEqual(one.seqs(), ['e1:5', 'e1:6', 'e2:1']);
  assert.deepEqual(two.seqs(), ['x:1']);
  client.close();
});

test('a malformed batch frame is ignored and the connection goes on', async () => {
  const { client, WebSocket } = setup({ enablePolling: false });
  const job = followWithRecovered(client, 'J1');
  const ws = await connectLive(WebSocket);
  ws.receive({ type: 'batch', events: 'nope' });
  ws.receive({ type: 'batch', events: [null, 7, { type: 'pong' }] });
  ws.receive({ type: 'batch' });
  ws.receive({ type: 'batch', events: [progressFrame('J1', { seq: 1, epoch: 'e', progress: 15 })] });
  assert.deepEqual(job.seqs(), ['e:1']);
  assert.equal(client.getState().mode, 'websocket');
  client.close();
});

test('polling drops a stale seq after a newer WebSocket update, and the reconnect resumes from a polled one', async () => {
  const { client, WebSocket, timers, api } = setup();
  const job = followWithRecovered(client, 'J1');
  const first = await connectLive(WebSocket);
  first.receive(progressFrame('J1', { seq: 5, epoch: 'e1', progress: 50 }));
  api.setJob('J1', { status: 'processing', progress: 40, seq: 4, epoch: 'e1' }); // a lagging replica
  first.serverClose(1006);
  await flush();
  assert.equal(client.getState().mode, 'polling');
  assert.equal(api.calls.length, 1);
  assert.deepEqual(job.seqs(), ['e1:5']);
  api.setJob('J1', { status: 'processing', progress: 70, seq: 7, epoch: 'e1' });
  await timers.advance(2000); // the reconnect attempt is pending at 250 ms; the poll runs at 2000 ms
  assert.equal(api.calls.length, 2);
  assert.deepEqual(job.seqs(), ['e1:5', 'e1:7']);
  WebSocket.last.accept();
  assert.deepEqual(WebSocket.last.takeSent(), [{ type: 'subscribe', data: { jobId: 'J1', sinceSeq: 7, epoch: 'e1' } }]);
  client.close();
});

test('a later subscriber of the same job learns the last recovered flag at once', async () => {
  const { client, WebSocket, timers } = setup({ enablePolling: false });
  followWithRecovered(client, 'J1');
  const first = await connectLive(WebSocket);
  first.receive(progressFrame('J1', { seq: 1, epoch: 'e1' }));
  const second = await reconnect(WebSocket, timers);
  second.receive({ type: 'subscribed', jobId: 'J1', recovered: true, timestamp: 't' });
  const late = followWithRecovered(client, 'J1');
  assert.deepEqual(late.recovered, [true]);
  assert.deepEqual(late.seqs(), ['e1:1']);
  client.close();
});
