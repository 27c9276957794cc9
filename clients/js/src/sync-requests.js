/**
 * The pending `{"type":"sync"}` requests of one connection (contract v1.1): the server answers each with
 * the latest progress frame of every recently changed job of the user, then `{"type":"synced","count"}`.
 *
 * A request waits in `queued` until the socket is connected, then in `inFlight` until its `synced`
 * frame; the server answers in order, so the oldest in-flight request owns the next `synced`. Every
 * progress frame arriving meanwhile (sync answers and live frames alike) is collected, newest per job.
 * A socket that fails, an error frame without a jobId (an old server does not know `sync`) or `close()`
 * rejects what is pending: a sync is answered on one connection or not at all.
 * Lives on one event loop, like the rest of the client.
 * @module
 */
import { createJobStore } from './job-store.js';

/**
 * @typedef {object} SyncResult
 * @property {number} count the server's `synced.count`: frames it sent for this request
 * @property {import('./index.js').JobProgress[]} jobs the newest frame per job received until `synced`
 */

/**
 * @typedef {object} Request
 * @property {(result: SyncResult) => void} resolve
 * @property {(error: Error) => void} reject
 * @property {ReturnType<typeof createJobStore>} jobs
 */

/**
 * @param {(frame: object) => boolean} send sends on the connected socket; false when there is none
 */
export function createSyncRequests(send) {
  /** @type {Request[]} */
  let queued = [];
  /** @type {Request[]} */
  let inFlight = [];

  /** @param {string} message */
  function failAll(message) {
    const pending = [...inFlight, ...queued];
    inFlight = [];
    queued = [];
    for (const request of pending) request.reject(new Error(`jobprogress: sync failed: ${message}`));
  }

  return {
    /** @returns {Promise<SyncResult>} */
    add() {
      return new Promise((resolve, reject) => {
        queued.push({ resolve, reject, jobs: createJobStore() });
      });
    },
    /** Sends every queued request, if the socket is connected. */
    flush() {
      while (queued.length > 0 && send({ type: 'sync' })) inFlight.push(/** @type {Request} */ (queued.shift()));
    },
    /** @param {import('./index.js').JobProgress} frame */
    collect(frame) {
      for (const request of inFlight) request.jobs.accept(frame);
    },
    /** @param {unknown} count */
    synced(count) {
      const request = inFlight.shift();
      if (request) request.resolve({ count: Number(count) || 0, jobs: request.jobs.all() });
    },
    /** An error frame without a jobId answers the oldest in-flight request. @param {string} message */
    refused(message) {
      inFlight.shift()?.reject(new Error(`jobprogress: sync refused by the server: ${message}`));
    },
    failAll,
  };
}
