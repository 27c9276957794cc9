// Tab sharing is partitioned by user: the lock and channel names carry the token's identity.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createJobProgressClient } from '../src/jobprogress-client.js';
import { createFakeApi, createFakeBroadcastChannel, createFakeLocks, createFakeTimers, createFakeWebSocket, flush } from '../test-support/fakes.js';
import { follow, jwt, progressFrame } from '../test-support/setup.js';

const ALICE = jwt({ sub: 'alice', exp: 2000000000 });
const ALICE_LATER = jwt({ sub: 'alice', exp: 2000003600 });
const BOB = jwt({ sub: 'bob', exp: 2000000000 });

/** One simulated browser profile; each tab gets its own getToken. */
function browser() {
  const timers = createFakeTimers();
  const WebSocket = createFakeWebSocket();
  const BroadcastChannel = createFakeBroadcastChannel();
  const locks = createFakeLocks();
  const api = createFakeApi();
  const openTab = (getToken) =>
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
  return { timers, WebSocket, BroadcastChannel, openTab };
}

test('tabs of two users each get their own socket and never see the other user’s frames', async () => {
  const { WebSocket, openTab } = browser();
  const alice = openTab(() => ALICE);
  const bob = openTab(() => BOB);
  const aliceJob = follow(alice, 'J');
  const bobJob = follow(bob, 'J');
  await flush();
  assert.equal(WebSocket.instances.length, 2);
  const [aliceWs, bobWs] = ['alice', 'bob'].map((sub) => WebSocket.instances.find((ws) => ws.token === (sub === 'alice' ? ALICE : BOB)));
  aliceWs.accept();
  bobWs.accept();
  aliceWs.receive(progressFrame('J', { seq: 1, progress: 70, userId: 'alice' }));
  await flush();
  assert.deepEqual(aliceJob.progress(), [70]);
  assert.deepEqual(bobJob.events, [], 'bob’s tab got nothing of alice’s job');
  bobWs.receive(progressFrame('J', { seq: 1, progress: 10, userId: 'bob' }));
  await flush();
  assert.deepEqual([aliceJob.progress(), bobJob.progress()], [[70], [10]]);
  alice.close();
  bob.close();
});

test('two tokens of the same user share one socket', async () => {
  const { WebSocket, openTab } = browser();
  const a = openTab(() => ALICE);
  const b = openTab(() => ALICE_LATER);
  follow(a, 'J1');
  const jobB = follow(b, 'J2');
  await flush();
  assert.equal(WebSocket.instances.length, 1);
  WebSocket.last.accept();
  WebSocket.last.receive(progressFrame('J2', { seq: 1, progress: 20 }));
  await flush();
  assert.deepEqual(jobB.progress(), [20]);
  a.close();
  b.close();
});

test('a tab without a token does not block a tab with one, and joins its user’s group once it has a token', async () => {
  const { WebSocket, openTab, timers } = browser();
  let anonymousToken = '';
  const anonymous = openTab(() => anonymousToken);
  const anonymousJob = follow(anonymous, 'J1');
  await flush();
  const signedIn = openTab(() => ALICE);
  const signedInJob = follow(signedIn, 'J2');
  await flush();
  assert.equal(WebSocket.instances.length, 1, 'the tab with a token connects at once');
  const ws = WebSocket.last;
  assert.equal(ws.token, ALICE);
  ws.accept();
  ws.receive(progressFrame('J2', { seq: 1, progress: 30 }));
  await flush();
  assert.deepEqual(signedInJob.progress(), [30]);
  assert.equal(signedIn.getState().mode, 'websocket');
  assert.deepEqual(anonymousJob.events, []);

  anonymousToken = ALICE_LATER; // the anonymous tab signs in as alice: its next attempt joins her group
  await timers.advance(60_000);
  assert.equal(WebSocket.instances.length, 1, 'it became a follower: no second socket');
  assert.deepEqual(ws.takeSent().filter((f) => f.type === 'subscribe').map((f) => f.data.jobId), ['J2', 'J1']);
  ws.receive(progressFrame('J1', { seq: 1, progress: 5 }));
  await flush();
  assert.deepEqual(anonymousJob.progress(), [5]);
  anonymous.close();
  signedIn.close();
});

test('a leader whose token turns into another user’s leaves the group and joins the right one', async () => {
  const { WebSocket, openTab } = browser();
  let token = ALICE;
  const switching = openTab(() => token);
  const other = openTab(() => ALICE);
  const switchingJob = follow(switching, 'J1');
  const otherJob = follow(other, 'J2');
  await flush();
  const first = WebSocket.last;
  assert.equal(first.token, ALICE);
  first.accept();
  first.receive(progressFrame('J1', { seq: 3, progress: 30 }));
  await flush();

  token = BOB;
  first.receive({ type: 'token_expiring', expiresIn: 30 });
  await flush();
  assert.deepEqual(first.closedByClient, { code: 1000, reason: 'client_closed' }, 'alice’s socket is not handed bob’s token');
  assert.ok(!first.sent.some((f) => f.type === 'refresh'));
  const sockets = WebSocket.instances.slice(1);
  assert.deepEqual(sockets.map((ws) => ws.token).sort(), [ALICE, BOB].sort(), 'bob’s own socket, and alice’s other tab leads her group');
  const bobWs = sockets.find((ws) => ws.token === BOB);
  const aliceWs = sockets.find((ws) => ws.token === ALICE);
  bobWs.accept();
  aliceWs.accept();
  assert.deepEqual(bobWs.takeSent(), [{ type: 'subscribe', data: { jobId: 'J1' } }], 'nothing of alice’s resume point goes to bob’s socket');
  assert.deepEqual(aliceWs.takeSent().map((f) => f.data.jobId), ['J2']);
  bobWs.receive(progressFrame('J1', { seq: 1, progress: 1, userId: 'bob' }));
  aliceWs.receive(progressFrame('J2', { seq: 1, progress: 50 }));
  await flush();
  assert.deepEqual(switchingJob.progress(), [30, 1], 'bob’s state is accepted after alice’s was forgotten');
  assert.deepEqual(otherJob.progress(), [50]);
  switching.close();
  other.close();
});
