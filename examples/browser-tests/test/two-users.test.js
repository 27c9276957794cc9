// Acceptance (issue 14): two tabs of two different users in ONE browser context (one profile: same Web
// Locks, same BroadcastChannels) each follow their own job over a WebSocket of their own and never see
// the other's frames; tab sharing is partitioned by the token's user.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, generate, jobView, launchBrowser, signIn, waitForJob, waitForText, watchPage, wsStats } from '../support/browser.js';
import { requireJars, startDemo, stopAll } from '../support/processes.js';

requireJars();
let demo;
let browser;

before(async () => {
  demo = await startDemo({ DEMO_STEP_MS: '700' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopAll(demo);
});

/** Every frame a page's WebSockets received that names a job or a user. */
const framesOf = (seen) => seen.sockets.flatMap((socket) => socket.received).filter((f) => f.jobId || f.userId);

test('two tabs of two users in one browser context each complete their own job and never see the other’s frames', async () => {
  const context = await browser.newContext();
  const alice = await context.newPage();
  const bob = await context.newPage();
  const seenAlice = watchPage(alice);
  const seenBob = watchPage(bob);

  await signIn(alice, demo.url, 'alice-tabs@example.com', 'register');
  await signIn(bob, demo.url, 'bob-tabs@example.com', 'register');
  const aliceJob = await generate(alice, 'a lighthouse at dawn');
  const bobJob = await generate(bob, 'a fox in the snow');
  for (const page of [alice, bob]) await waitForText(page, 'transport', 'Using WebSocket');

  const stats = await eventually(() => wsStats(demo.url), (s) => s.totalClients === 2,
    { what: 'GET /api/ws/stats totalClients 2' });
  assert.equal(stats.totalUsers, 2, 'one connection per user');
  assert.deepEqual(stats.clientsByUser.map((u) => u.connections), [1, 1]);

  await waitForJob(alice, aliceJob, { status: 'completed' });
  await waitForJob(bob, bobJob, { status: 'completed' });
  for (const [page, job] of [[alice, aliceJob], [bob, bobJob]]) {
    assert.deepEqual(await jobView(page, job), { status: 'completed', barWidth: '100%', percent: '100%', stage: 'completed' });
  }

  assert.equal(seenAlice.sockets.length, 1, 'alice’s tab opened its own WebSocket');
  assert.equal(seenBob.sockets.length, 1, 'bob’s tab opened its own WebSocket');
  const aliceFrames = framesOf(seenAlice);
  const bobFrames = framesOf(seenBob);
  const aliceUser = aliceFrames.find((f) => f.type === 'connected').userId;
  const bobUser = bobFrames.find((f) => f.type === 'connected').userId;
  assert.notEqual(aliceUser, bobUser);
  assert.deepEqual(aliceFrames.filter((f) => (f.jobId && f.jobId !== aliceJob) || (f.userId && f.userId !== aliceUser)), [],
    'alice’s socket carried nothing of bob');
  assert.deepEqual(bobFrames.filter((f) => (f.jobId && f.jobId !== bobJob) || (f.userId && f.userId !== bobUser)), [],
    'bob’s socket carried nothing of alice');
  assert.ok(aliceFrames.some((f) => f.type === 'progress' && f.status === 'completed'));
  assert.ok(bobFrames.some((f) => f.type === 'progress' && f.status === 'completed'));
  // Nor did a tab show the other user's job: each list holds its own job only.
  assert.deepEqual(await alice.$$eval('#jobs li', (lis) => lis.map((li) => li.dataset.jobId)), [aliceJob]);
  assert.deepEqual(await bob.$$eval('#jobs li', (lis) => lis.map((li) => li.dataset.jobId)), [bobJob]);
  assert.deepEqual([seenAlice.errors, seenBob.errors], [[], []]);
  await context.close();
});
