/**
 * Shares one hub (one WebSocket) among all tabs of a browser that use the same endpoint.
 *
 * Every client asks for the Web Lock `name`; the holder is the leader and runs the hub for the union of
 * what all clients want. Clients talk over a BroadcastChannel of the same name:
 *
 * | message | from | meaning |
 * |---|---|---|
 * | `{kind:'want', from, jobIds}` | any client | the full set of jobs this client follows |
 * | `{kind:'bye', from}` | any client | this client closed |
 * | `{kind:'leader', from}` | new leader | I lead now; everyone, send your `want` again |
 * | `{kind:'update', job}` | leader | a newer update of a job |
 * | `{kind:'jobError', jobId, code, message}` | leader | a per-job error |
 * | `{kind:'state', state}` | leader | the connection state |
 *
 * When the leader's tab goes away the browser releases its lock; the next waiting client becomes the
 * leader, collects everyone's wants and subscribes them, and the server answers each subscribe with the
 * job's latest progress, so no final state is lost. The result is used like a hub.
 * @module
 */
import { createHub } from './hub.js';

/**
 * @typedef {object} SharingEnvironment
 * @property {string} name lock and channel name, e.g. `jobprogress:wss://host/ws`
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
 * @returns {Pick<import('./hub.js').Hub, 'setWanted' | 'close'>}
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

  /** @param {object} message */
  const post = (message) => channel.postMessage(message);
  const postWant = () => post({ kind: 'want', from: id, jobIds: [...wanted] });

  function union() {
    const all = new Set(wanted);
    for (const jobIds of peers.values()) for (const jobId of jobIds) all.add(jobId);
    return all;
  }

  function becomeLeader() {
    peers.clear();
    hub = createHub(config, {
      onUpdate(job) {
        if (wanted.has(job.jobId)) callbacks.onUpdate(job);
        post({ kind: 'update', job });
      },
      onJobError(jobId, code, message) {
        if (wanted.has(jobId)) callbacks.onJobError(jobId, code, message);
        post({ kind: 'jobError', jobId, code, message });
      },
      onState(state) {
        callbacks.onState(state);
        post({ kind: 'state', state });
      },
    });
    post({ kind: 'leader', from: id });
    hub.setWanted(union());
  }

  /** @param {MessageEvent} event */
  channel.onmessage = ({ data }) => {
    if (closed || !data || data.from === id) return;
    if (hub) {
      if (data.kind === 'want') {
        peers.set(data.from, new Set(data.jobIds));
        hub.setWanted(union());
        for (const jobId of data.jobIds) {
          const job = hub.latest(jobId);
          if (job) post({ kind: 'update', job });
        }
      } else if (data.kind === 'bye') {
        peers.delete(data.from);
        hub.setWanted(union());
      }
      return;
    }
    if (data.kind === 'leader') postWant();
    else if (data.kind === 'update' && wanted.has(data.job.jobId)) callbacks.onUpdate(data.job);
    else if (data.kind === 'jobError' && wanted.has(data.jobId)) callbacks.onJobError(data.jobId, data.code, data.message);
    else if (data.kind === 'state') callbacks.onState(data.state);
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
      if (!hub) {
        postWant();
        return;
      }
      hub.setWanted(union());
      for (const jobId of wanted) {
        const job = previous.has(jobId) ? undefined : hub.latest(jobId);
        if (job) callbacks.onUpdate(job);
      }
    },
    close() {
      if (closed) return;
      closed = true;
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
