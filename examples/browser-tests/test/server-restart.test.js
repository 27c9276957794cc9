// Acceptance (3): the demo server restarts while a job runs; the open page reconnects by itself and
// ends at completed. Redis mode, so the job survives the restart: a private redis-server, the worker as
// its own process running the job, and the demo stopped (SIGTERM) and started again on the same port.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generate, jobView, launchBrowser, signIn, waitForJob, waitForText, watchPage } from '../support/browser.js';
import { JWT_SECRET, freePort, requireJars, startDemo, startRedis, startWorker, stopAll } from '../support/processes.js';

requireJars();
let redis;
let worker;
let demo;
let browser;
let settings;
let port;

before(async () => {
  redis = await startRedis();
  settings = { REDIS_URL: redis.url, JWT_SECRET, DEMO_WORKER: 'redis', DEMO_STEP_MS: '1500' };
  port = await freePort();
  demo = await startDemo(settings, port);
  worker = await startWorker(settings);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopAll(redis, worker, demo);
});

test('the server restarted mid-job: the page reconnects, resumes from the last seq it showed and ends at completed', async () => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  await signIn(page, demo.url, 'restart@example.com');
  const jobId = await generate(page, 'a city at night, neon');
  await waitForText(page, 'connected', 'Connected ✓');
  await waitForJob(page, jobId, { status: 'processing', progressAtLeast: 10 });

  await page.evaluate(() => { window.__sameDocument = true; });
  const firstSubscribe = seen.sockets.at(-1).sent.find((f) => f.type === 'subscribe' && f.data.jobId === jobId);
  assert.deepEqual(firstSubscribe.data, { jobId }, 'the first subscribe is the v1 frame');
  await demo.stop();
  const atStop = await jobView(page, jobId);
  assert.equal(atStop.status, 'processing', 'the job was still running when the server went away');
  await waitForText(page, 'connected', 'Connected ✗');

  demo = await startDemo(settings, port);
  // The reconnect waits for its backoff (full jitter, at least 2 s after a 1012 restart); allow plenty.
  await waitForText(page, 'connected', 'Connected ✓', 90_000);
  await waitForText(page, 'transport', 'Using WebSocket');
  await waitForJob(page, jobId, { status: 'completed' });

  assert.deepEqual(await jobView(page, jobId),
    { status: 'completed', barWidth: '100%', percent: '100%', stage: 'completed' });
  assert.ok(seen.sockets.length >= 2, `a new WebSocket after the restart (${seen.sockets.length} opened)`);
  assert.ok(seen.sockets.at(-1).framesReceived > 0 && !seen.sockets.at(-1).closed, 'the new WebSocket is live');
  // The page resumes from the newest update it showed before the restart (protocol v1.1 subscribe).
  const resume = seen.sockets.at(-1).sent.find((f) => f.type === 'subscribe' && f.data.jobId === jobId);
  assert.ok(Number.isInteger(resume?.data.sinceSeq) && resume.data.sinceSeq > 0, `resume seq: ${JSON.stringify(resume)}`);
  assert.equal(typeof resume.data.epoch, 'string', `resume epoch: ${JSON.stringify(resume)}`);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload: the same document throughout');
  assert.deepEqual(seen.errors, []);
});
