import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createJobProgressClient } from '../src/jobprogress-client.js';
import { createFakeApi, createFakeBroadcastChannel, createFakeLocks, createFakeTimers, createFakeWebSocket, flush } from '../test-support/fakes.js';
import { groupName, identityKey } from '../src/identity.js';
import { follow, progressFrame } from '../test-support/setup.js';

const GROUP = groupName('ws://test.local/ws', /** @type {string} */ (identityKey('t1')));

/** One simulated browser: every "tab" gets its own client over the same locks, channels and sockets. */
function browser() {
  const timers = createFakeTimers();
  const WebSocket = createFakeWebSocket();
  const BroadcastChannel = createFakeBroadcastChannel();
  const locks = createFakeLocks();
  const api = createFakeApi();
  const openTab = (getToken = () => 't1') =>
    createJobProgressClient({
      url: 'ws://test.local/ws',
      baseUrl: 'http://test.local',
      getToken,
      WebSocket,
      fetch: api.fetch,
      random: () => 0.5,
      setTimeout: timers.setTimeout,
      clearTimeout: timers.clearTimeout,
      locks,
      BroadcastChannel,
    });
  return { timers, WebSocket, BroadcastChannel, locks, api, openTab };
}

const subscribedIds = (ws) => ws.takeSent().filter((f) => f.type === 'subscribe').map((f) => f.data.jobId).sort();

test('two tabs share one socket that carries the jobs of both', async () => {
  const { WebSocket, openTab } = browser();
  const a = openTab();
  const b = openTab();
  const jobA = follow(a, 'JA');
  const jobB = follow(b, 'JB');
  await flush();
  assert.equal(WebSocket.instances.length, 1);
  const ws = WebSocket.last;
  ws.accept();
  assert.deepEqual(subscribedIds(ws), ['JA', 'JB']);
  ws.receive(progressFrame('JB', { seq: 1, progress: 10 }));
  ws.receive(progressFrame('JA', { seq: 1, progress: 70 }));
  await flush();
  assert.deepEqual([jobA.progress(), jobB.progress()], [[70], [10]]);
  assert.equal(b.getState().mode, 'websocket');
  assert.equal(b.getState().connected, true);
  a.close();
  b.close();
});

test('a tab following a job the leader already knows gets its latest state at once', async () => {
  const { WebSocket, openTab } = browser();
  const a = openTab();
  follow(a, 'J');
  await flush();
  const ws = WebSocket.last;
  ws.accept();
  ws.receive(progressFrame('J', { seq: 4, progress: 40 }));
  const b = openTab();
  const job = follow(b, 'J');
  await flush();
  assert.deepEqual(job.progress(), [40]);
  assert.deepEqual(ws.takeSent().filter((f) => f.type === 'subscribe').length, 1);
  a.close();
  b.close();
});

test('when the leader tab closes another tab takes over and subscribes every job all tabs want', async () => {
  const { WebSocket, openTab, timers, BroadcastChannel } = browser();
  const leader = openTab();
  const b = openTab();
  const c = openTab();
  follow(leader, 'J1');
  const jobB = follow(b, 'J2');
  const jobC = follow(c, 'J3');
  await flush();
  const first = WebSocket.last;
  first.accept();
  first.receive(progressFrame('J3', { seq: 1, progress: 30 }));
  await flush();

  leader.close();
  await flush();
  assert.deepEqual(first.closedByClient, { code: 1000, reason: 'client_closed' });
  assert.equal(WebSocket.instances.length, 2);
  const second = WebSocket.last;
  second.accept();
  await flush();
  assert.deepEqual(subscribedIds(second), ['J2', 'J3']);
  // On subscribe the server sends each job's latest progress: the final state is not lost.
  second.receive(progressFrame('J3', { seq: 2, status: 'completed', progress: 100 }));
  second.receive(progressFrame('J2', { seq: 7, progress: 75 }));
  await flush();
  assert.deepEqual(jobC.events.map((e) => e.status), ['processing', 'completed']);
  assert.deepEqual(jobB.progress(), [75]);
  assert.equal(c.getState().mode, 'websocket');

  b.close();
  c.close();
  await flush();
  assert.equal(timers.pending(), 0);
  assert.equal(BroadcastChannel.openCount, 0);
  assert.equal(WebSocket.instances.length, 2);
});

test('a follower that unsubscribes is unsubscribed on the shared socket', async () => {
  const { WebSocket, openTab } = browser();
  const a = openTab();
  const b = openTab();
  follow(a, 'J1');
  const job = follow(b, 'J2');
  await flush();
  const ws = WebSocket.last;
  ws.accept();
  ws.takeSent();
  job.unsubscribe();
  await flush();
  assert.deepEqual(ws.takeSent(), [{ type: 'unsubscribe', data: { jobId: 'J2' } }]);
  a.close();
  b.close();
});

test('closing every tab releases the lock, the channels, the socket and every timer', async () => {
  const { WebSocket, openTab, timers, locks, BroadcastChannel } = browser();
  const a = openTab();
  const b = openTab();
  follow(a, 'J1');
  follow(b, 'J2');
  await flush();
  WebSocket.last.serverClose(1006); // reconnect timer and poll timers pending
  await flush();
  assert.ok(timers.pending() > 0);
  b.close();
  a.close();
  await flush();
  assert.equal(timers.pending(), 0);
  assert.equal(locks.held(GROUP), false);
  assert.equal(BroadcastChannel.openCount, 0);
  assert.equal(WebSocket.instances.length, 1);
});

test('without Web Locks every tab keeps its own socket', async () => {
  const timers = createFakeTimers();
  const WebSocket = createFakeWebSocket();
  const BroadcastChannel = createFakeBroadcastChannel();
  const openTab = () =>
    createJobProgressClient({
      url: 'ws://test.local/ws',
      getToken: () => 't1',
      WebSocket,
      BroadcastChannel,
      locks: null,
      enablePolling: false,
      setTimeout: timers.setTimeout,
      clearTimeout: timers.clearTimeout,
    });
  const tabs = [openTab(), openTab()];
  tabs.forEach((tab, i) => follow(tab, `J${i}`));
  await flush();
  assert.equal(WebSocket.instances.length, 2);
  assert.equal(BroadcastChannel.openCount, 0);
  tabs.forEach((tab) => tab.close());
});

test('a follower tab drops a stale update from the channel and takes a new epoch', async () => {
  const { WebSocket, BroadcastChannel, openTab } = browser();
  const leader = openTab();
  const follower = openTab();
  follow(leader, 'J0');
  const job = follow(follower, 'J');
  await flush();
  const ws = WebSocket.last;
  ws.accept();
  ws.receive(progressFrame('J', { seq: 5, epoch: 'e1', progress: 50 }));
  await flush();
  const late = new BroadcastChannel(GROUP); // e.g. a previous leader's last word
  late.postMessage({ kind: 'update', job: progressFrame('J', { seq: 4, epoch: 'e1', progress: 40 }) });
  late.postMessage({ kind: 'update', job: progressFrame('J', { seq: 5, epoch: 'e1', progress: 50 }) });
  late.postMessage({ kind: 'update', job: progressFrame('J', { seq: 1, epoch: 'e2', progress: 5 }) });
  await flush();
  assert.deepEqual(job.progress(), [50, 5]);
  late.close();
  leader.close();
  follower.close();
});

test('the tab taking over resumes its jobs from what it saw as a follower and every tab learns recovered', async () => {
  const { WebSocket, openTab } = browser();
  const leader = openTab();
  const b = openTab();
  const c = openTab();
  follow(leader, 'J1');
  const recoveredB = [];
  const recoveredC = [];
  b.subscribe('J2', () => {}, { onSubscribed: (info) => recoveredB.push(info.recovered) });
  c.subscribe('J3', () => {}, { onSubscribed: (info) => recoveredC.push(info.recovered) });
  await flush();
  const first = WebSocket.last;
  first.accept();
  first.receive(progressFrame('J2', { seq: 4, epoch: 'e', progress: 40 }));
  first.receive(progressFrame('J3', { seq: 9, epoch: 'e', progress: 90 }));
  await flush();
  leader.close();
  await flush();
  const second = WebSocket.last;
  assert.notEqual(second, first);
  second.accept();
  await flush();
  // The lock goes to the tab that asked next (b): it resumes its own job; c's job is subscribed plain,
  // the server's answer is its latest state.
  assert.deepEqual(second.takeSent().filter((f) => f.type === 'subscribe').map((f) => f.data), [
    { jobId: 'J2', sinceSeq: 4, epoch: 'e' },
    { jobId: 'J3' },
  ]);
  second.receive({ type: 'subscribed', jobId: 'J2', recovered: true, timestamp: 't' });
  second.receive({ type: 'subscribed', jobId: 'J3', recovered: false, timestamp: 't' });
  await flush();
  assert.deepEqual([recoveredB, recoveredC], [[true], [false]]);
  b.close();
  c.close();
});

test('sync() in a follower tab goes through the leader’s socket and resolves in the follower', async () => {
  const { WebSocket, openTab } = browser();
  const leader = openTab();
  const follower = openTab();
  follow(leader, 'J1');
  await flush();
  const ws = WebSocket.last;
  ws.accept();
  ws.takeSent();
  const result = follower.sync();
  await flush();
  assert.deepEqual(ws.takeSent(), [{ type: 'sync' }]);
  ws.receive(progressFrame('J7', { seq: 2, epoch: 'e', status: 'completed', progress: 100 }));
  ws.receive({ type: 'synced', count: 1, timestamp: 't' });
  const { count, jobs } = await result;
  assert.equal(count, 1);
  assert.deepEqual(jobs.map((j) => [j.jobId, j.status]), [['J7', 'completed']]);
  const refused = follower.sync();
  await flush();
  ws.receive({ type: 'error', error: 'Unknown message type: sync', timestamp: 't' });
  await assert.rejects(refused, /sync refused by the server/);
  leader.close();
  follower.close();
});
