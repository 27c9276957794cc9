// Scripted stand-ins for the browser APIs the client uses: WebSocket, fetch, timers, Web Locks and
// BroadcastChannel. Nothing here touches the network.

/** Lets every pending promise callback run (no real I/O is involved, so one macrotask turn is enough). */
export const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Manual clock: timers fire only inside `advance`/`runNext`. */
export function createFakeTimers() {
  let now = 0;
  let nextId = 1;
  /** @type {Map<number, {at: number, ms: number, fn: () => void}>} */
  const timers = new Map();
  const earliest = () => [...timers.entries()].sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
  return {
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, ms, fn });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id),
    /** Number of timers not yet fired nor cleared. */
    pending: () => timers.size,
    /** Delays (ms) of the pending timers, in firing order. */
    delays: () => [...timers.values()].sort((a, b) => a.at - b.at).map((t) => t.ms),
    /** Fires every timer due within `ms`, in order, letting promises settle after each. */
    async advance(ms) {
      const end = now + ms;
      await flush();
      for (let next = earliest(); next && next[1].at <= end; next = earliest()) {
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
        await flush();
      }
      now = end;
    },
    /** Fires the earliest timer and returns its delay. */
    async runNext() {
      const next = earliest();
      if (!next) throw new Error('no pending timer');
      timers.delete(next[0]);
      now = next[1].at;
      next[1].fn();
      await flush();
      return next[1].ms;
    },
  };
}

/** A WebSocket class whose server side the test scripts; `Fake.instances` lists every socket made. */
export function createFakeWebSocket() {
  return class FakeWebSocket {
    /** @type {FakeWebSocket[]} */
    static instances = [];
    static get last() {
      return FakeWebSocket.instances.at(-1);
    }
    constructor(url, protocols) {
      this.protocols = protocols;
      this.url = url;
      this.sent = [];
      this.closedByClient = null;
      FakeWebSocket.instances.push(this);
    }
    get token() {
      const bearer = (this.protocols ?? []).find((p) => p.startsWith('bearer.'));
      if (bearer) return bearer.slice('bearer.'.length);
      return new URL(this.url).searchParams.get('token');
    }
    send(data) {
      this.sent.push(JSON.parse(data));
    }
    close(code, reason) {
      this.closedByClient = { code, reason };
      this.onclose?.({ code, reason, wasClean: true });
    }
    /** Returns the frames sent so far and forgets them (transcript style). */
    takeSent() {
      return this.sent.splice(0);
    }
    /** Server accepts the handshake and sends its first frame. */
    accept(extra = {}) {
      this.onopen?.({});
      this.receive({ type: 'connected', message: 'Connected to live updates', timestamp: new Date().toISOString(), userId: 'u1', ...extra });
    }
    receive(frame) {
      this.onmessage?.({ data: JSON.stringify(frame) });
    }
    serverClose(code, reason = '') {
      this.onclose?.({ code, reason, wasClean: code !== 1006 });
    }
  };
}

/**
 * An HTTP API holding one JSON document per job; answers `If-None-Match` with 304.
 * `api.fetch.calls` records every request.
 */
export function createFakeApi() {
  /** @type {Map<string, {body: object, etag: string}>} */
  const jobs = new Map();
  let version = 0;
  let validToken = null;
  const calls = [];
  async function fetch(url, init = {}) {
    const headers = init.headers ?? {};
    calls.push({ url, headers });
    const jobId = decodeURIComponent(new URL(url).pathname.split('/').at(-1));
    const reply = (status, body, etag) => ({
      status,
      ok: status >= 200 && status < 300,
      headers: { get: (name) => (name.toLowerCase() === 'etag' ? etag ?? null : null) },
      json: async () => body,
    });
    if (validToken && headers.Authorization !== `Bearer ${validToken}`) return reply(401, { error: 'unauthorized' });
    const job = jobs.get(jobId);
    if (!job) return reply(404, { error: 'not found' });
    if (headers['If-None-Match'] === job.etag) return reply(304, undefined, job.etag);
    return reply(200, job.body, job.etag);
  }
  return {
    fetch,
    calls,
    /** Sets the job's current document (a new ETag each time). */
    setJob(jobId, fields) {
      version += 1;
      jobs.set(jobId, { body: { jobId, userId: 'u1', timestamp: new Date(1700000000000 + version).toISOString(), ...fields }, etag: `"v${version}"` });
    },
    /** From now on only this token is accepted (others get 401). */
    acceptOnly(token) {
      validToken = token;
    },
  };
}

/** Web Locks `LockManager` subset: exclusive locks, FIFO waiters, `signal` to give up waiting. */
export function createFakeLocks() {
  /** @type {Map<string, Array<{callback: Function, resolve: Function, reject: Function}>>} */
  const waiting = new Map();
  const held = new Set();
  function grant(name) {
    if (held.has(name)) return;
    const next = waiting.get(name)?.shift();
    if (!next) return;
    held.add(name);
    Promise.resolve()
      .then(() => next.callback({ name, mode: 'exclusive' }))
      .then(next.resolve, next.reject)
      .finally(() => {
        held.delete(name);
        grant(name);
      });
  }
  return {
    held: (name) => held.has(name),
    request(name, options, callback) {
      return new Promise((resolve, reject) => {
        const entry = { callback, resolve, reject };
        if (!waiting.has(name)) waiting.set(name, []);
        waiting.get(name).push(entry);
        options?.signal?.addEventListener('abort', () => {
          const queue = waiting.get(name);
          const index = queue.indexOf(entry);
          if (index < 0) return;
          queue.splice(index, 1);
          reject(new DOMException('The request was aborted.', 'AbortError'));
        });
        grant(name);
      });
    },
  };
}

/** A BroadcastChannel class: asynchronous delivery to every other open channel of the same name. */
export function createFakeBroadcastChannel() {
  const open = new Set();
  return class FakeBroadcastChannel {
    static get openCount() {
      return open.size;
    }
    constructor(name) {
      this.name = name;
      this.onmessage = null;
      open.add(this);
    }
    postMessage(data) {
      const copy = structuredClone(data);
      for (const other of open) {
        if (other === this || other.name !== this.name) continue;
        queueMicrotask(() => open.has(other) && other.onmessage?.({ data: structuredClone(copy) }));
      }
    }
    close() {
      open.delete(this);
    }
  };
}
