/**
 * Keeps the latest progress of each job and decides whether an incoming update is newer.
 *
 * Updates arrive from several sources (WebSocket frames, polling, another tab) and may be reordered or
 * duplicated; the store makes sure a job's shown progress never goes backwards.
 * Not thread-safe in any meaningful sense: it lives on one event loop.
 * @module
 */

/** Statuses after which a job never changes again (within one epoch). */
export const TERMINAL_STATUSES = Object.freeze(['completed', 'failed', 'cancelled']);

const STATUS_RANK = { queued: 0, processing: 1, completed: 2, failed: 2, cancelled: 2 };

/**
 * Tells whether a status is terminal.
 * @param {string | undefined} status
 * @returns {boolean}
 */
export function isTerminal(status) {
  return TERMINAL_STATUSES.includes(/** @type {string} */ (status));
}

/**
 * Decides whether `next` should replace `prev`, both being updates of the same job and epoch.
 * Order of evidence: terminal state, then `seq` (when both carry one), then `timestamp`, then `progress`,
 * then status rank; an identical update is a duplicate.
 * @param {import('./index.js').JobProgress} prev
 * @param {import('./index.js').JobProgress} next
 * @returns {boolean}
 */
export function isNewerInEpoch(prev, next) {
  if (isTerminal(prev.status)) return false;
  if (prev.seq > 0 && next.seq > 0) return next.seq > prev.seq;
  const before = Date.parse(prev.timestamp);
  const after = Date.parse(next.timestamp);
  if (!Number.isNaN(before) && !Number.isNaN(after) && before !== after) return after > before;
  if (next.progress !== prev.progress) return (next.progress ?? 0) > (prev.progress ?? 0);
  const rankBefore = STATUS_RANK[prev.status] ?? 0;
  const rankAfter = STATUS_RANK[next.status] ?? 0;
  if (rankBefore !== rankAfter) return rankAfter > rankBefore;
  return next.stage !== prev.stage || next.message !== prev.message;
}

/**
 * Creates an empty store.
 *
 * Epochs: when the server loses a job's history it starts a new epoch, whose `seq` restarts. An update
 * from an epoch never seen before for that job is accepted; one from an epoch already left behind is
 * dropped, so a late frame of the old epoch cannot undo the new one.
 * @returns {{
 *   accept(job: import('./index.js').JobProgress): boolean,
 *   get(jobId: string): import('./index.js').JobProgress | undefined,
 *   all(): import('./index.js').JobProgress[],
 *   delete(jobId: string): void,
 *   clear(): void
 * }}
 */
export function createJobStore() {
  /** @type {Map<string, {job: import('./index.js').JobProgress, retiredEpochs: Set<string>}>} */
  const entries = new Map();
  return {
    /** Stores `job` and returns true when it is newer than what is known; returns false otherwise. */
    accept(job) {
      const entry = entries.get(job.jobId);
      if (!entry) {
        entries.set(job.jobId, { job, retiredEpochs: new Set() });
        return true;
      }
      const prevEpoch = entry.job.epoch;
      const nextEpoch = job.epoch;
      if (prevEpoch != null && nextEpoch != null && prevEpoch !== nextEpoch) {
        if (entry.retiredEpochs.has(nextEpoch)) return false;
        entry.retiredEpochs.add(prevEpoch);
      } else if (!isNewerInEpoch(entry.job, job)) {
        return false;
      }
      entry.job = job;
      return true;
    },
    get: (jobId) => entries.get(jobId)?.job,
    all: () => [...entries.values()].map((entry) => entry.job),
    delete: (jobId) => void entries.delete(jobId),
    clear: () => entries.clear(),
  };
}
