// Acceptance (2): with the WebSocket path refused by the server, the page falls back to polling.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generate, jobView, launchBrowser, signIn, waitForJob, watchPage, wsStats } from '../support/browser.js';
import { requireJars, startDemo, stopAll } from '../support/processes.js';

requireJars();
let demo;
let browser;

before(async () => {
  demo = await startDemo({ WS_ENABLED: 'false', DEMO_STEP_MS: '700' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopAll(demo);
});

test('with WS_ENABLED=false the page shows "Polling" and the bar still completes', async () => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  await signIn(page, demo.url, 'polling@example.com');

  const jobId = await generate(page, 'a fox in the snow, oil painting');
  await waitForJob(page, jobId, { status: 'processing' });
  assert.equal(await page.textContent('#transport'), 'Using Polling', 'while the job runs');
  await waitForJob(page, jobId, { status: 'completed' });

  assert.deepEqual(await jobView(page, jobId),
    { status: 'completed', barWidth: '100%', percent: '100%', stage: 'completed' });
  assert.equal(await page.textContent('#transport'), 'Using Polling');
  assert.ok(seen.polls.length >= 2, `the page polled GET /api/jobs/${jobId} (${seen.polls.length} requests)`);
  assert.ok(seen.polls.every((url) => url.endsWith(`/api/jobs/${jobId}`)));
  assert.deepEqual(seen.sockets, [], 'the page opened no WebSocket');
  assert.equal((await wsStats(demo.url)).totalClients, 0);
  assert.deepEqual(seen.errors, []);
});
