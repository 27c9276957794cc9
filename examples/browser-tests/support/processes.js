// The real processes the browser tests run against: the demo server jar, the worker jar and a private
// redis-server, each a child process on a free loopback port, stopped by pid (also when the test fails or
// the test process exits early).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEMO_JAR = resolve(root, 'examples/demo-server/target/jobprogress-demo.jar');
export const WORKER_JAR = resolve(root, 'examples/worker/target/jobprogress-worker.jar');
const BUILD = './mvnw -B -DskipTests package -pl examples/demo-server,examples/worker -am';

/** A fixed HS256 secret (>= 32 bytes) so tokens survive a demo restart. */
export const JWT_SECRET = 'browser-tests-secret-0123456789-abcdefghij';

/** Every child still running; killed by pid if the test process exits without stopping them. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Stops the test file at once, with one line, when something it needs is missing. */
function missing(line) {
  console.error(line);
  process.exit(1);
}

/** The jars must have been built; the tests never build them themselves. */
export function requireJars() {
  for (const jar of [DEMO_JAR, WORKER_JAR]) {
    if (!existsSync(jar)) missing(`browser-tests: ${jar} is missing: run \`${BUILD}\` first`);
  }
}

/** @returns {Promise<number>} a port that was free on 127.0.0.1 a moment ago */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts `command` and resolves once a line of its output matches `ready` (or rejects when it exits or
 * `timeoutMs` passes first, with its output in the message).
 * @returns {Promise<{pid: number, match: RegExpMatchArray, output: () => string, stop: () => Promise<void>}>}
 */
function startProcess(name, command, args, env, ready, timeoutMs = 60_000) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  let exited = false;
  const exit = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      exited = true;
      running.delete(child);
      resolveExit({ code, signal });
    });
  });
  const handle = {
    pid: child.pid,
    output: () => output,
    /** SIGTERM (a clean shutdown), SIGKILL if it is still there after 15 s. */
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => !exited && child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      handle.stop();
      reject(new Error(`${name} did not start within ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        resolveStart({ ...handle, match });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not be started: ${error.message}`));
    });
    exit.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready; output:\n${output}`));
    });
  });
}

/**
 * Starts the demo server on 127.0.0.1 (`port` 0: any free port) with `env` on top of the defaults.
 * @returns {Promise<{url: string, pid: number, output: () => string, stop: () => Promise<void>}>}
 */
export async function startDemo(env = {}, port = 0) {
  const demo = await startProcess('demo server', 'java', ['-jar', DEMO_JAR],
    { HOST: '127.0.0.1', PORT: String(port), ...env }, /listening on (http:\/\/\S+)/);
  return { ...demo, url: demo.match[1] };
}

/** Starts the example worker, which takes the demo's jobs from Redis (`DEMO_WORKER=redis`). */
export function startWorker(env) {
  return startProcess('worker', 'java', ['-jar', WORKER_JAR], env, /taking jobs from/);
}

/**
 * Starts a private redis-server on a free loopback port, without persistence.
 * @returns {Promise<{url: string, pid: number, stop: () => Promise<void>}>}
 */
export async function startRedis() {
  const port = await freePort();
  try {
    const redis = await startProcess('redis-server', 'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {},
      /Ready to accept connections/);
    return { ...redis, url: `redis://127.0.0.1:${port}` };
  } catch (error) {
    if (/ENOENT/.test(error.message)) missing('browser-tests: redis-server not found: apt-get install redis-server');
    throw error;
  }
}

/** Stops every given process (null entries skipped), in reverse order, even if one stop fails. */
export async function stopAll(...processes) {
  for (const proc of processes.reverse()) {
    if (proc) await proc.stop().catch(() => {});
  }
}
