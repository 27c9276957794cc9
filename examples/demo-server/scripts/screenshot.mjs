// Takes docs/img/demo.png: the demo page mid-job, in headless Chromium driven by playwright-core (the
// same driver and version as examples/browser-tests). Run through screenshot.sh, which builds the demo,
// starts it and installs playwright-core in a temp dir.
// Usage: node screenshot.mjs <demo base URL> <output png> [chromium path]
import { chromium as driver } from 'playwright-core';

const [base, out, chromium = '/usr/bin/chromium'] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node screenshot.mjs <demo base URL> <output png> [chromium path]');
  process.exit(2);
}

const browser = await driver.launch({
  executablePath: chromium,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
    '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 620 }, deviceScaleFactor: 1 });
  page.on('console', (m) => console.log('page: ' + m.text()));
  page.on('pageerror', (e) => console.log('page error: ' + e.message));
  await page.goto(base, { waitUntil: 'networkidle' });
  await page.click('#register');
  await page.waitForSelector('#job-panel:not([hidden])');
  const prompts = ['a lighthouse at dawn, watercolor', 'a fox in the snow, oil painting',
    'this one will fail', 'a city at night, neon'];
  for (const [i, prompt] of prompts.entries()) {
    await page.fill('#prompt', prompt);
    await page.click('#generate');
    await page.waitForFunction((n) => document.querySelectorAll('#jobs li').length === n, i + 1);
    // The client connects on its first subscription; the page must say so.
    await page.waitForFunction(() => document.getElementById('transport').textContent === 'Using WebSocket');
    await new Promise((r) => setTimeout(r, 1500));
  }
  // Mid-job: the first job is well on its way, the last one just started.
  await page.waitForFunction(() => [...document.querySelectorAll('#jobs li')]
    .some((li) => li.dataset.status === 'failed'));
  await page.screenshot({ path: out });
  console.log('wrote ' + out);
} finally {
  await browser.close();
}
