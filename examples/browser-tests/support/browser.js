// Debian's headless Chromium driven by playwright-core (never a downloaded browser), and the steps a
// user takes on the demo page, done through the page's own UI.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** How long a job may take to reach a state; generous, the machine may be busy. */
export const JOB_TIMEOUT = 60_000;

/** Launches headless Chromium; fails at once with one line if it is not installed. */
export function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    console.error(`browser-tests: ${CHROMIUM} not found: apt-get install chromium (or set CHROMIUM)`);
    process.exit(1);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Records what a page does on the network that the tests assert on: the WebSockets it opens (with
 * the frames each sent and received, parsed) and its polling requests. Page errors are kept so a failure can show them.
 */
export function watchPage(page) {
  const seen = { sockets: [], polls: [], errors: [] };
  page.on('websocket', (ws) => {
    const socket = { url: ws.url(), framesReceived: 0, received: [], sent: [], closed: false };
    ws.on('framereceived', ({ payload }) => {
      socket.framesReceived += 1;
      try {
        socket.received.push(JSON.parse(String(payload)));
      } catch {
        socket.received.push({ unparsed: String(payload) });
      }
    });
    ws.on('framesent', ({ payload }) => {
      try {
        socket.sent.push(JSON.parse(String(payload)));
      } catch {
        socket.sent.push({ unparsed: String(payload) });
      }
    });
    ws.on('close', () => { socket.closed = true; });
    seen.sockets.push(socket);
  });
  page.on('request', (request) => {
    if (request.method() === 'GET' && /\/api\/jobs\/[^/]+$/.test(new URL(request.url()).pathname)) {
      seen.polls.push(request.url());
    }
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  return seen;
}

/** Opens the page and registers `email` through the form, or logs in when `action` is 'login'. */
export async function signIn(page, url, email, action = 'register') {
  await page.goto(url);
  await page.fill('#email', email);
  await page.fill('#password', 'password123');
  await page.click(action === 'login' ? '#login' : '#register');
  await page.waitForSelector('#job-panel:not([hidden])');
}

/** Types `prompt`, presses Generate and returns the new job's id (the page shows it in its list). */
export async function generate(page, prompt) {
  const before = await page.locator('#jobs li').count();
  await page.fill('#prompt', prompt);
  await page.click('#generate');
  await page.waitForFunction((n) => document.querySelectorAll('#jobs li').length === n + 1, before);
  return page.locator('#jobs li').first().getAttribute('data-job-id');
}

/** What the page shows for one job: status, the bar's width, the percentage text, stage. */
export function jobView(page, jobId) {
  return page.evaluate((id) => {
    const li = document.querySelector(`#jobs li[data-job-id="${id}"]`);
    return {
      status: li.dataset.status,
      barWidth: li.querySelector('.fill').style.width,
      percent: li.querySelector('.percent').textContent,
      stage: li.querySelector('.stage').textContent,
    };
  }, jobId);
}

/**
 * Waits until the job's row shows `status` (if given) and at least `progressAtLeast` percent (if given).
 */
export async function waitForJob(page, jobId, { status, progressAtLeast }, timeout = JOB_TIMEOUT) {
  await page.waitForFunction(({ id, wanted }) => {
    const li = document.querySelector(`#jobs li[data-job-id="${id}"]`);
    if (!li) return false;
    const progress = parseInt(li.querySelector('.percent').textContent, 10);
    const current = li.dataset.status;
    if (wanted.status !== undefined && current !== wanted.status) return false;
    if (wanted.progressAtLeast !== undefined && !(progress >= wanted.progressAtLeast)) return false;
    return true;
  }, { id: jobId, wanted: { status, progressAtLeast } }, { timeout, polling: 100 });
}

/** Waits until the text of the element `id` ('connected' or 'transport') starts with `prefix`. */
export function waitForText(page, id, prefix, timeout = JOB_TIMEOUT) {
  return page.waitForFunction(({ elementId, start }) => document.getElementById(elementId).textContent.startsWith(start),
    { elementId: id, start: prefix }, { timeout, polling: 100 });
}

/**
 * Records, in the page, every percentage a job's row ever shows (a MutationObserver), so a test can
 * check that progress never went backwards. Call before the job starts.
 */
export function recordPercentages(page) {
  return page.evaluate(() => {
    window.__percentages = {};
    new MutationObserver(() => {
      for (const li of document.querySelectorAll('#jobs li')) {
        const seen = (window.__percentages[li.dataset.jobId] ??= []);
        const value = parseInt(li.querySelector('.percent').textContent, 10);
        if (seen[seen.length - 1] !== value) seen.push(value);
      }
    }).observe(document.getElementById('jobs'), { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

/** Polls `read()` until `accept(value)` holds, then returns the value (or throws with the last one). */
export async function eventually(read, accept, { timeout = 30_000, interval = 200, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeout} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, interval));
  }
}

/** `GET /api/ws/stats` of the demo at `url`. */
export async function wsStats(url) {
  const response = await fetch(new URL('/api/ws/stats', url));
  if (!response.ok) throw new Error(`GET /api/ws/stats answered ${response.status}`);
  return response.json();
}
