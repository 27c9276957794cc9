/**
 * Shares one hub (one WebSocket) among the tabs of a browser that use the same endpoint as the same user.
 *
 * The group's `name` carries the user's identity (see identity-hub.js and identity.js): only tabs with
 * tokens of one user ever meet on its lock and channel, so the leader's token never serves another user.
 * Every client asks for the Web Lock `name`; the holder is the leader and runs the hub for the union of
 * what all clients want. Clients talk over a BroadcastChannel of the same name:
 *
 * | message | from | meaning |
 * |---|---|---|
 * | `{kind:'want', from, jobIds}` | any client | the full set of jobs this client follows |
 * | `{kind:'bye', from}` | any client | this client closed |
 * | `{kind:'leader', from}` | new leader | I lead now; everyone, send your `want` again |
 * | `{kind:'update', job}` | leader | a newer update of a job |
 * | `{kind:'subscribed', jobId, recovered}` | leader | the server's `subscribed` answer for a job |
 * | `{kind:'jobError', jobId, code, message}` | leader | a per-job error |
 * | `{kind:'state', state}` | leader | the connection state |
 * | `{kind:'sync', from, request}` | follower | please send a `sync` frame for me |
 * | `{kind:'syncResult', to, request, result?, error?}` | leader | its outcome |
 *
 * When the leader's tab goes away the browser releases its lock; the next waiting client becomes the
 * leader, collects everyone's wants and subscribes them; for its own jobs it resumes from the newest
 * update it saw as a follower, for the others the server answers each subscribe with the job's latest
 * progress, so no final state is lost. Sync requests still open are sent again to the new leader. The
 * result is used like a hub.
 * @module
 */
import { createHub } from './hub.js';
import { createJobStore } from './job-store.js';

/**
 * @typedef {object} SharingEnvironment
 * @property {string} name lock and channel name, e.g. `jobprogress:wss://host/ws#<identity key>`
 * @property {{ request: Function }} locks a Web Locks `LockManager`
 * @property {new (name: string) => BroadcastChannel} BroadcastChannel
 */

let counter = 0;

function newId() {
  const uuid = globalThis.crypto?.randomUUID?.();
  return uuid ?? `${Date.now().toString(36)}-${(counter += 1)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * @param {import('./jobprogress-client.js').ResolvedOptions} config
 * @param {import('./hub.js').HubCallbacks} callbacks
 * @param {SharingEnvironment} environment
 * @returns {Pick<import('./hub.js').Hub, 'setWanted' | 'sync' | 'close'>}
 */
export function createSharedHub(config, callbacks, { name, locks, BroadcastChannel }) {
  const id = newId();
  const channel = new BroadcastChannel(name);
  const abort = new AbortController();
  /** @type {Set<string>} */
  let wanted = new Set();
  /** @type {Map<string, Set<string>>} jobs wanted by the other clients, known to the leader */
  const peers = new Map();
  /** @type {import('./hub.js').Hub | null} set while this client is the leader */
  let hub = null;
  /** @type {(() => void) | null} */
  let releaseLock = null;
  let closed = false;
  /** Newest update seen as a follower, of this client's own jobs: where a new leader resumes from. */
  const seen = createJobStore();
  /** @type {Map<number, {resolve: (r: any) => void, reject: (e: Error) => void}>} sync requests sent to the leader */
  const syncRequests = new Map();
  let nextRequest = 0;

  /** @param {object} message */
  const post = (message) => channel.postMessage(message);
  const postWant = () => post({ kind: 'want', from: id, jobIds: [...wanted] });

  function union() {
    const all = new Set(wanted);
    for (const jobIds of peers.values()) for (const jobId of jobIds) all.add(jobId);
    return all;
  }

  /** @param {string} jobId sends what the leader knows of a job: its latest update and `subscribed` */
  function postKnown(jobId) {
    const job = hub?.latest(jobId);
    if (job) post({ kind: 'update', job });
    const info = hub?.lastSubscribed(jobId);
    if (info) post({ kind: 'subscribed', jobId, recovered: info.recovered });
  }

  function becomeLeader() {
    peers.clear();
    const known = [...wanted].map((jobId) => seen.get(jobId)).filter((job) => job !== undefined);
    const leaderHub = createHub(config, {
      onUpdate(job) {
        if (wanted.has(job.jobId)) callbacks.onUpdate(job);
        post({ kind: 'update', job });
      },
      onSubscribed(jobId, recovered) {
        if (wanted.has(jobId)) callbacks.onSubscribed(jobId, recovered);
        post({ kind: 'subscribed', jobId, recovered });
      },
      onJobError(jobId, code, message) {
        if (wanted.has(jobId)) callbacks.onJobError(jobId, code, message);
        post({ kind: 'jobError', jobId, code, message });
      },
      onState(state) {
        callbacks.onState(state);
        post({ kind: 'state', state });
      },
    }, /** @type {import('./index.js').JobProgress[]} */ (known));
    hub = leaderHub;
    post({ kind: 'leader', from: id });
    hub.setWanted(union());
    for (const { resolve, reject } of syncRequests.values()) leaderHub.sync().then(resolve, reject);
    syncRequests.clear();
  }

  /** @param {MessageEvent} event */
  channel.onmessage = ({ data }) => {
    if (closed || !data || data.from === id) return;
    if (hub) {
      if (data.kind === 'want') {
        peers.set(data.from, new Set(data.jobIds));
        hub.setWanted(union());
        for (const jobId of data.jobIds) postKnown(jobId);
      } else if (data.kind === 'bye') {
        peers.delete(data.from);
        hub.setWanted(union());
      } else if (data.kind === 'sync') {
        const answer = (/** @type {object} */ outcome) => post({ kind: 'syncResult', to: data.from, request: data.request, ...outcome });
        hub.sync().then((result) => answer({ result }), (error) => answer({ error: String(error?.message ?? error) }));
      }
      return;
    }
    if (data.kind === 'leader') {
      postWant();
      for (const request of syncRequests.keys()) post({ kind: 'sync', from: id, request });
    } else if (data.kind === 'update' && wanted.has(data.job.jobId)) {
      seen.accept(data.job);
      callbacks.onUpdate(data.job);
    } else if (data.kind === 'subscribed' && wanted.has(data.jobId)) {
      callbacks.onSubscribed(data.jobId, data.recovered);
    } else if (data.kind === 'jobError' && wanted.has(data.jobId)) {
      callbacks.onJobError(data.jobId, data.code, data.message);
    } else if (data.kind === 'state') {
      callbacks.onState(data.state);
    } else if (data.kind === 'syncResult' && data.to === id && syncRequests.has(data.request)) {
      const { resolve, reject } = /** @type {{resolve: Function, reject: Function}} */ (syncRequests.get(data.request));
      syncRequests.delete(data.request);
      if (data.error !== undefined) reject(new Error(data.error));
      else resolve(data.result);
    }
  };

  locks
    .request(name, { signal: abort.signal }, () => {
      if (closed) return undefined;
      becomeLeader();
      return new Promise((resolve) => {
        releaseLock = () => resolve(undefined);
      });
    })
    .catch(() => {}); // AbortError after close() while still waiting.

  return {
    setWanted(jobIds) {
      if (closed) return;
      const previous = wanted;
      wanted = new Set(jobIds);
      for (const jobId of previous) if (!wanted.has(jobId)) seen.delete(jobId);
      if (!hub) {
        postWant();
        return;
      }
      hub.setWanted(union());
      for (const jobId of wanted) {
        if (previous.has(jobId)) continue;
        const info = hub.lastSubscribed(jobId);
        if (info) callbacks.onSubscribed(jobId, info.recovered);
        const job = hub.latest(jobId);
        if (job) callbacks.onUpdate(job);
      }
    },
    sync() {
      if (closed) return Promise.reject(new Error('jobprogress: client is closed'));
      if (hub) return hub.sync();
      const request = (nextRequest += 1);
      const result = new Promise((resolve, reject) => syncRequests.set(request, { resolve, reject }));
      post({ kind: 'sync', from: id, request });
      return result;
    },
    close() {
      if (closed) return;
      closed = true;
      for (const { reject } of syncRequests.values()) reject(new Error('jobprogress: sync failed: the client was closed'));
      syncRequests.clear();
      if (hub) {
        hub.close();
        hub = null;
        releaseLock?.();
      } else {
        abort.abort();
        post({ kind: 'bye', from: id });
      }
      channel.close();
    },
  };
}
