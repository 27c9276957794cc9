// Acceptance (issue 14): useJobProgress in real Chromium with real React 18 (StrictMode) against the
// demo: a jobId change never renders the previous job's state, and a token refresh of the same user
// keeps the hook's client and its one WebSocket.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, launchBrowser, watchPage } from '../support/browser.js';
import { login, openHookPage, register, serveHookPage, startJob, waitForRender } from '../support/hook-page.js';
import { requireJars, startDemo, stopAll } from '../support/processes.js';

requireJars();
let demo;
let browser;

before(async () => {
  demo = await startDemo({ DEMO_STEP_MS: '700', DEMO_AUTH_PER_MINUTE: '0' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopAll(demo);
});

async function hookPage() {
  const context = await browser.newContext();
  await serveHookPage(context, demo.url);
  const page = await context.newPage();
  const seen = watchPage(page);
  await openHookPage(page, demo.url);
  return { context, page, seen };
}

test('a jobId change in the hook never renders the previous job’s state', async () => {
  const { context, page, seen } = await hookPage();
  const token = await register(page, 'hook-jobs@example.com');
  const first = await startJob(page, token, 'first job');
  await page.evaluate(({ id, t }) => window.__watch(id, t, 'token'), { id: first, t: token });
  await waitForRender(page, first, { status: 'completed', progressAtLeast: 100, mode: 'websocket' });

  const second = await startJob(page, token, 'second job');
  await page.evaluate(({ id, t }) => window.__watch(id, t, 'token'), { id: second, t: token });
  await waitForRender(page, second, { status: 'completed', progressAtLeast: 100 });

  const renders = await page.evaluate(() => window.__renders);
  const ofSecond = renders.filter((r) => r.jobId === second);
  assert.deepEqual([ofSecond[0].status, ofSecond[0].progress, ofSecond[0].isTerminal], [null, 0, false],
    'the first render of the new job shows nothing yet');
  const firstOwnUpdate = ofSecond.findIndex((r) => r.status !== null);
  assert.ok(['queued', 'processing'].includes(ofSecond[firstOwnUpdate].status),
    `the new job's first state is its own, not the previous job's completed state: ${JSON.stringify(ofSecond[firstOwnUpdate])}`);
  assert.deepEqual(ofSecond.slice(0, firstOwnUpdate).filter((r) => r.progress !== 0 || r.isTerminal), [],
    'no render before the new job’s own update carries progress or a terminal status');
  const progress = ofSecond.map((r) => r.progress);
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress never goes backwards');
  assert.equal(seen.sockets.length, 1, 'both jobs were followed on one WebSocket');
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('a token refresh of the same user keeps the hook’s WebSocket', async () => {
  const { context, page, seen } = await hookPage();
  const email = 'hook-refresh@example.com';
  const token = await register(page, email);
  // A second token of the same user: logins within one second give the same token (iat in seconds).
  const refreshed = await eventually(() => login(page, email), (t) => t !== token, { interval: 300, what: 'a new token' });
  const job = await startJob(page, token, 'a long job');
  await page.evaluate(({ id, t }) => window.__watch(id, t, 'first'), { id: job, t: token });
  await waitForRender(page, job, { progressAtLeast: 10, mode: 'websocket' });
  const rendersBefore = await page.evaluate(() => window.__renders.length);
  const statusAtRefresh = await page.evaluate(() => window.__renders.at(-1).status);
  assert.notEqual(statusAtRefresh, 'completed', 'the refresh happens while the job runs');

  await page.evaluate(({ id, t }) => window.__watch(id, t, 'refreshed'), { id: job, t: refreshed });
  await waitForRender(page, job, { status: 'completed', progressAtLeast: 100 });

  assert.equal(seen.sockets.length, 1, 'no second WebSocket was opened');
  assert.equal(seen.sockets[0].closed, false, 'the first WebSocket is still open');
  const after = (await page.evaluate(() => window.__renders)).slice(rendersBefore);
  assert.ok(after.some((r) => r.tokenLabel === 'refreshed'));
  assert.deepEqual(after.filter((r) => r.mode !== 'websocket' || r.progress === 0), [],
    'no render after the refresh flashes 0 % or leaves the WebSocket');
  assert.deepEqual(seen.errors, []);
  await context.close();
});
