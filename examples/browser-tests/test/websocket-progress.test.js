// Acceptance (1): a job started from the demo page is followed live over the WebSocket to the end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generate, jobView, launchBrowser, recordPercentages, signIn, waitForJob, waitForText, watchPage } from '../support/browser.js';
import { requireJars, startDemo, stopAll } from '../support/processes.js';

requireJars();
let demo;
let browser;

before(async () => {
  demo = await startDemo({ DEMO_STEP_MS: '300' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopAll(demo);
});

test("a job's bar reaches 100% and shows completed", async () => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  await signIn(page, demo.url, 'bar@example.com');
  await recordPercentages(page);

  const jobId = await generate(page, 'a lighthouse at dawn, watercolor');
  await waitForText(page, 'transport', 'Using WebSocket');
  await waitForText(page, 'connected', 'Connected ✓');
  await waitForJob(page, jobId, { status: 'completed' });

  assert.deepEqual(await jobView(page, jobId),
    { status: 'completed', barWidth: '100%', percent: '100%', stage: 'completed' });
  const percentages = await page.evaluate((id) => window.__percentages[id], jobId);
  assert.deepEqual([...percentages].sort((a, b) => a - b), percentages, `progress went backwards: ${percentages}`);
  assert.equal(percentages.at(-1), 100);
  assert.equal(seen.sockets.length, 1, 'the page opened exactly one WebSocket');
  assert.ok(seen.sockets[0].framesReceived > 0, 'the updates came over that WebSocket');
  assert.deepEqual(seen.polls, [], 'no polling while the WebSocket works');
  assert.deepEqual(seen.errors, []);
});
