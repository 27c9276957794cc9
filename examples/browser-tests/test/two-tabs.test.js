// Acceptance (4): two tabs of one user share one WebSocket (Web Locks leader + BroadcastChannel), and
// when the leader tab closes the other tab takes over the connection and its job still completes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, generate, jobView, launchBrowser, signIn, waitForJob, waitForText, watchPage, wsStats } from '../support/browser.js';
import { requireJars, startDemo, stopAll } from '../support/processes.js';

requireJars();
let demo;
let browser;

before(async () => {
  demo = await startDemo({ DEMO_STEP_MS: '1200' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopAll(demo);
});

/** `GET /api/ws/stats`, once it shows exactly `clients` connections in total. */
async function statsWith(clients) {
  return eventually(() => wsStats(demo.url), (s) => s.totalClients === clients,
    { what: `GET /api/ws/stats totalClients ${clients}` });
}

test('two tabs of one user open one WebSocket in total, and the other tab takes over when the leader closes', async () => {
  const context = await browser.newContext();
  const first = await context.newPage();
  const second = await context.newPage();
  const seen = new Map([[first, watchPage(first)], [second, watchPage(second)]]);

  // The page keeps its token in sessionStorage (per tab), so each tab logs in: same user, same origin.
  await signIn(first, demo.url, 'tabs@example.com', 'register');
  await signIn(second, demo.url, 'tabs@example.com', 'login');
  const firstJob = await generate(first, 'a lighthouse at dawn, watercolor');
  const secondJob = await generate(second, 'a fox in the snow, oil painting');
  for (const page of [first, second]) await waitForText(page, 'transport', 'Using WebSocket');
  await waitForJob(first, firstJob, { status: 'processing' });
  await waitForJob(second, secondJob, { status: 'processing' });

  const stats = await statsWith(1);
  assert.equal(stats.totalUsers, 1);
  assert.equal(stats.clientsByUser.length, 1);
  assert.equal(stats.clientsByUser[0].connections, 1);
  const sockets = [...seen.values()].flatMap((s) => s.sockets);
  assert.equal(sockets.length, 1, 'the browser opened one WebSocket for both tabs');
  const [leader, follower] = seen.get(first).sockets.length === 1 ? [first, second] : [second, first];
  const followerJob = follower === first ? firstJob : secondJob;

  const beforeTakeover = await jobView(follower, followerJob);
  assert.equal(beforeTakeover.status, 'processing', "the follower's job is still running at the takeover");
  await leader.close();

  // The follower becomes the leader: its own WebSocket, live, and the old one gone from the server.
  const followerSockets = seen.get(follower).sockets;
  await eventually(() => followerSockets.length === 1 && followerSockets[0].framesReceived > 0, (ok) => ok,
    { what: 'the remaining tab has a live WebSocket of its own' });
  const afterTakeover = await statsWith(1);
  assert.equal(afterTakeover.clientsByUser.length, 1);
  assert.equal(afterTakeover.clientsByUser[0].userId, stats.clientsByUser[0].userId);
  assert.equal(afterTakeover.clientsByUser[0].connections, 1);

  await waitForJob(follower, followerJob, { status: 'completed' });
  assert.deepEqual(await jobView(follower, followerJob),
    { status: 'completed', barWidth: '100%', percent: '100%', stage: 'completed' });
  assert.equal(await follower.textContent('#transport'), 'Using WebSocket');
  assert.deepEqual(seen.get(follower).errors, []);
  await context.close();
});
