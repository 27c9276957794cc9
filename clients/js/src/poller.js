/**
 * Polls `GET {baseUrl}/api/jobs/{jobId}` for each job it is given, with conditional requests.
 *
 * Each job has its own chain: one request, then a wait of `interval`, then the next, so requests for a
 * job never overlap. The `ETag` of the last 200 is sent back as `If-None-Match`; a 304 changes nothing.
 * Which jobs to poll (not terminal, WebSocket down) is decided by the caller through `setJobs`.
 * @module
 */

/**
 * @typedef {object} PollerOptions
 * @property {string} baseUrl origin (or path prefix) of the HTTP API; '' means same origin
 * @property {typeof fetch} fetch
 * @property {{ current(): Promise<string>, refresh(): Promise<string> }} tokens
 * @property {number} interval milliseconds between two requests for one job
 * @property {import('./index.js').Timers} timers
 * @property {(job: import('./index.js').JobProgress) => void} onUpdate called with every 200 body
 * @property {(jobId: string, code: string, message: string) => void} onJobError
 * @property {(code: string, message: string) => void} onFatal the token is refused and no new one helps
 */

/**
 * @param {PollerOptions} options
 * @returns {{ setJobs(jobIds: Iterable<string>): void, close(): void }}
 */
export function createPoller({ baseUrl, fetch, tokens, interval, timers, onUpdate, onJobError, onFatal }) {
  const base = baseUrl.replace(/\/+$/, '');
  /** @type {Map<string, {etag: string | null, timer: unknown, notFoundReported: boolean}>} */
  const jobs = new Map();

  /** @param {string} jobId */
  async function poll(jobId) {
    const entry = jobs.get(jobId);
    if (!entry) return;
    entry.timer = null;
    const current = () => jobs.get(jobId) === entry;
    try {
      const token = await tokens.current();
      if (!current()) return;
      /** @type {Record<string, string>} */
      const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };
      if (entry.etag) headers['If-None-Match'] = entry.etag;
      const response = await fetch(`${base}/api/jobs/${encodeURIComponent(jobId)}`, { headers });
      if (!current()) return;
      if (response.status === 200) {
        const body = await response.json();
        if (!current()) return;
        entry.etag = response.headers.get('ETag');
        entry.notFoundReported = false;
        onUpdate({ ...body, type: 'progress', jobId });
      } else if (response.status === 404 && !entry.notFoundReported) {
        entry.notFoundReported = true;
        onJobError(jobId, 'not_found', 'job not found');
      } else if (response.status === 401) {
        const fresh = await tokens.refresh();
        if (fresh === token) {
          onFatal('invalid_token', 'the server refused the access token');
          return;
        }
      }
    } catch {
      // Network failure or a bad body: try again at the next interval.
    }
    if (current()) entry.timer = timers.setTimeout(() => poll(jobId), interval);
  }

  /** @param {string} jobId */
  function stop(jobId) {
    const entry = jobs.get(jobId);
    if (entry?.timer != null) timers.clearTimeout(entry.timer);
    jobs.delete(jobId);
  }

  return {
    /** Polls exactly these jobs from now on; a newly added job is polled at once. */
    setJobs(jobIds) {
      const wanted = new Set(jobIds);
      for (const jobId of [...jobs.keys()]) if (!wanted.has(jobId)) stop(jobId);
      for (const jobId of wanted) {
        if (jobs.has(jobId)) continue;
        jobs.set(jobId, { etag: null, timer: null, notFoundReported: false });
        poll(jobId);
      }
    },
    close() {
      for (const jobId of [...jobs.keys()]) stop(jobId);
    },
  };
}
