// Serves the useJobProgress test page (fixtures/hook-page) on the demo's own origin, under /__hook/, by
// answering those requests in the browser context: same origin as the demo's API, WebSocket and the
// client modules the demo serves at /js/jobprogress/ (copied from clients/js/src into its jar).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// The packages' "exports" maps hide their umd/ folders, so the files are addressed by path.
const modules = new URL('../node_modules/', import.meta.url);
const files = {
  'index.html': fileURLToPath(new URL('../fixtures/hook-page/index.html', import.meta.url)),
  'app.js': fileURLToPath(new URL('../fixtures/hook-page/app.js', import.meta.url)),
  'react-shim.js': fileURLToPath(new URL('../fixtures/hook-page/react-shim.js', import.meta.url)),
  'react.js': fileURLToPath(new URL('react/umd/react.development.js', modules)),
  'react-dom.js': fileURLToPath(new URL('react-dom/umd/react-dom.development.js', modules)),
};

/** Makes `/__hook/index.html` on the demo the hook test page in `context`. */
export async function serveHookPage(context, demoUrl) {
  await context.route(new URL('/__hook/**', demoUrl).href, async (route) => {
    const name = new URL(route.request().url()).pathname.slice('/__hook/'.length);
    const path = files[name];
    if (!path) return route.fulfill({ status: 404, body: 'not a test file' });
    const contentType = name.endsWith('.html') ? 'text/html' : 'text/javascript';
    return route.fulfill({ status: 200, contentType: `${contentType}; charset=utf-8`, body: await readFile(path) });
  });
}

/**
 * Opens the hook page and waits until it rendered once. The document itself must come from the demo
 * (a loopback address): Chromium's Local Network Access checks block a WebSocket to 127.0.0.1 from a
 * document Playwright fulfilled. So the page opens a plain demo URL and writes the test page into it;
 * only its scripts come from the route.
 */
export async function openHookPage(page, demoUrl) {
  await page.goto(new URL('/api/config', demoUrl).href);
  await page.setContent(await readFile(files['index.html'], 'utf8'));
  await page.waitForFunction(() => window.__ready === true && window.__renders.length > 0);
}

/** Registers a user from inside the page; returns its access token. */
export function register(page, email) {
  return page.evaluate((address) => window.__api('/api/auth/register', { email: address, password: 'password123' })
    .then((data) => data.accessToken), email);
}

/** Logs the user in again from inside the page; returns the new access token. */
export function login(page, email) {
  return page.evaluate((address) => window.__api('/api/auth/login', { email: address, password: 'password123' })
    .then((data) => data.accessToken), email);
}

/** Starts a job from inside the page; returns its id. */
export function startJob(page, token, prompt) {
  return page.evaluate(({ bearer, text }) => window.__api('/api/generate-from-prompt', { prompt: text }, bearer)
    .then((data) => data.jobId), { bearer: token, text: prompt });
}

/** Waits until some render of `jobId` satisfies the given fields. */
export function waitForRender(page, jobId, { status, progressAtLeast, mode }, timeout = 60_000) {
  return page.waitForFunction(({ id, wanted }) => window.__renders.some((r) => r.jobId === id
    && (wanted.status === undefined || r.status === wanted.status)
    && (wanted.progressAtLeast === undefined || r.progress >= wanted.progressAtLeast)
    && (wanted.mode === undefined || r.mode === wanted.mode)), { id: jobId, wanted: { status, progressAtLeast, mode } },
  { timeout, polling: 50 });
}
