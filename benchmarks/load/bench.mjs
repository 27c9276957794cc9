// Load benchmark driver: for each round, each system in turn (A B C A B C ...): a fresh redis-server on a
// free port, the server, its worker process, N connections, subscriptions, a timed publish at a set rate;
// measures, stops everything it started, and prints one table of medians. Run through ./run.sh.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import * as procs from './lib/procs.mjs';
import { Stats, behindLatest, connectAll, subscribeAll, useClient } from './lib/clients.mjs';
import { percentile, table } from './lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const NAMES = { jobprogress: 'jobprogress', jakarta: 'jobprogress, Jakarta layer', seed: 'seed-style Node', socketio: 'Socket.IO 4',
  seedstore: "seed-style Node behind jobprogress's publish script", jvm2: 'jobprogress, --java2 / --jvm2 / --jar2 / --worker2' };
// the benchmarks module's classpath (built by run.sh): LoadPublisher, PublishScriptText
const benchClasspath = () => `${path.join(repo, 'benchmarks/target/classes')}:${fs.readFileSync(path.join(repo, 'benchmarks/target/cp.txt'), 'utf8').trim()}`;
let PUBLISH_SCRIPT = ''; // seedstore: the file holding jobprogress's publish script, written once per run
const SECRET = 'load-benchmark-secret-at-least-32-bytes-long!';
// the flags docs/operations.md recommends for a connection-heavy server ("JVM flags for a connection-heavy server"); --jvm replaces them
const RECOMMENDED_JVM = '-Xms32m -Xmx512m -XX:+UseSerialGC -Xmn8m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:TrimNativeHeapInterval=1000';
let JVM_FLAGS = [];
let JVM2_FLAGS = []; // system jvm2: jobprogress on another JVM, with other flags or another build, for an A/B in one run
// the jobprogress worker (LoadPublisher) is not a connection-heavy server: by default it runs on the JVM's own
// defaults, as a worker would be deployed; --workerJvm sets its flags ("server" = the server's --jvm flags)
let WORKER_JVM_FLAGS = [];

function parseArgs(argv) {
  const o = { connections: 1000, tabs: 2, jobs: 1, rounds: 3, rate: '1000', seconds: 10, inflight: 100, warmup: 0, warmSeconds: 0, batch: 0, tick: 1, workerJvm: '', redisPolicy: 'other',
    systems: 'jobprogress,seed,socketio', out: path.join(here, 'results'), doc: '', jvm: RECOMMENDED_JVM, java: 'java',
    jvm2: '', java2: '', jar2: '', worker2: '', client: 'wire', profile: '' };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    if (!(k in o) || argv[i + 1] === undefined) throw new Error(`bench: unknown option or missing value: ${argv[i]}`);
    o[k] = typeof o[k] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
    if (typeof o[k] === 'number' && !(o[k] > 0 || ((k === 'warmup' || k === 'warmSeconds' || k === 'batch') && o[k] === 0))) throw new Error(`bench: --${k} must be a positive number, was "${argv[i + 1]}"`);
  }
  if (o.connections % o.tabs) throw new Error(`bench: --connections (${o.connections}) must be a multiple of --tabs (${o.tabs})`);
  if (o.connections > 20000 || o.seconds > 120 || o.warmSeconds > 120 || o.rounds > 10) throw new Error('bench: bounded to 20,000 connections, 120 s per rate, 10 rounds');
  if (!Number.isInteger(o.tick) || o.tick > 100) throw new Error(`bench: --tick must be whole ms in [1, 100], was "${o.tick}"`);
  o.rates = String(o.rate).split(',').map(Number);
  if (o.rates.some((r) => !(r > 0 && r <= 100000))) throw new Error(`bench: --rate must be frames/s in (0, 100000], comma-separated, was "${o.rate}"`);
  o.systems = o.systems.split(',');
  JVM_FLAGS = [...o.jvm.split(/\s+/).filter(Boolean), '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn'];
  JVM2_FLAGS = o.jvm2 ? [...o.jvm2.split(/\s+/).filter(Boolean), '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn'] : JVM_FLAGS;
  o.java2 = o.java2 || o.java;
  if (o.systems.includes('jvm2') && !o.jvm2 && o.java2 === o.java && !o.jar2 && !o.worker2) {
    throw new Error('bench: system jvm2 needs --java2, --jvm2, --jar2 or --worker2 (else it is jobprogress again)');
  }
  for (const f of [o.jar2, ...o.worker2.split(':')].filter(Boolean)) if (!fs.existsSync(f)) throw new Error(`bench: no such file or folder: ${f}`);
  WORKER_JVM_FLAGS = o.workerJvm === 'server' ? JVM_FLAGS : [...o.workerJvm.split(/\s+/).filter(Boolean), '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn'];
  useClient(o.client);
  if (!['other', 'fifo'].includes(o.redisPolicy)) throw new Error(`bench: --redisPolicy must be other or fifo, was "${o.redisPolicy}"`);
  for (const s of o.systems) if (!NAMES[s]) throw new Error(`bench: unknown system "${s}" (jobprogress, jakarta, jvm2, seed, seedstore, socketio)`);
  if (o.batch > 0 && o.systems.some((s) => !isJvm(s))) throw new Error('bench: --batch is jobprogress only: add --systems jobprogress');
  if (o.profile && !fs.existsSync(o.profile)) throw new Error(`bench: --profile needs async-profiler's libasyncProfiler.so, no such file: ${o.profile}`);
  if (o.profile && !o.systems.some(isJvm)) throw new Error('bench: --profile profiles the JVM systems: add jobprogress, jakarta or jvm2 to --systems');
  return o;
}

// the HotSpot JIT compilers' thread names, as /proc shows them (15 characters at most)
const JIT_THREADS = /^C[12] CompilerThre/;
// the VM thread (where the Serial collector collects, and safepoint operations run) and any GC worker threads
const VM_THREADS = /^(VM Thread|GC Thread)/;

/** The systems that are the demo jar on a JVM. */
const isJvm = (system) => system === 'jobprogress' || system === 'jakarta' || system === 'jvm2';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startSystem(system, redisUrl, port, o) {
  const users = o.connections / o.tabs;
  const env = { PORT: String(port), REDIS_URL: redisUrl, JWT_SECRET: SECRET };
  if (isJvm(system)) { // the demo jar; "jakarta": its Jakarta WebSocket transport; "jvm2": --java2 / --jvm2 / --jar2 / --worker2
    const server = await procs.start(system, system === 'jvm2' ? o.java2 : o.java,
      [...(system === 'jvm2' ? JVM2_FLAGS : JVM_FLAGS), '-jar', system === 'jvm2' && o.jar2 ? o.jar2 : path.join(repo, 'examples/demo-server/target/jobprogress-demo.jar')],
      { env: { ...env, HOST: '127.0.0.1', DEMO_MAX_CONNECTIONS: '0', STATS_TOKEN: 'bench-stats',
        DEMO_WS_TRANSPORT: system === 'jakarta' ? 'jakarta' : 'jetty' }, ready: /listening on/ });
    return { server, url: `ws://127.0.0.1:${port}/ws`, kind: 'ws',
      worker: () => procs.start('publisher-jobprogress', 'java',
        ['-cp', (system === 'jvm2' && o.worker2 ? `${o.worker2}:` : '') + benchClasspath(), ...WORKER_JVM_FLAGS, 'io.jobprogress.benchmarks.LoadPublisher', redisUrl, String(users), String(o.jobs)],
        { ready: /^READY/ }) };
  }
  // seedstore: the seed-style server unchanged; its worker stores and publishes through jobprogress's script
  const seedLike = system === 'seed' || system === 'seedstore';
  const server = await procs.start(system, 'node', [path.join(here, 'servers', `${seedLike ? 'seed' : system}.mjs`)], { env, ready: /^LISTENING/ });
  return { server, url: seedLike ? `ws://127.0.0.1:${port}/ws` : `http://127.0.0.1:${port}`,
    kind: seedLike ? 'ws' : 'socketio',
    worker: () => procs.start(`publisher-${system}`, 'node', [path.join(here, 'publisher.mjs'), system, redisUrl, String(users), String(o.jobs)],
      { env: { PUBLISH_SCRIPT }, ready: /^READY/ }) };
}

/**
 * Publishes at rate delivered frames/s for o.seconds and waits for the frames to drain; one step's figures.
 * With profileTo (--profile), async-profiler samples the server's CPU over exactly that window into that JFR file.
 */
async function step(worker, pid, redis, stats, conns, rate, seconds, o, profileTo = '') {
  const redisPid = redis.pid;
  const connected = conns.length;
  procs.redisCli(redis.port, 'CONFIG', 'RESETSTAT');
  const r = { rate };
  stats.reset();
  const cpu0 = procs.sample(pid);
  const workerCpu0 = procs.sample(worker.pid).cpuSec;
  const redisCpu0 = procs.sample(redisPid).cpuSec;
  let rssMax = 0;
  const sampler = setInterval(() => { rssMax = Math.max(rssMax, procs.sample(pid).rssKiB); }, 500);
  if (profileTo) procs.profiler(pid, o.profile, 'start', profileTo);
  const t0 = performance.now();
  worker.stdin.write(`GO ${rate / o.tabs} ${seconds} ${o.tick}\n`);
  const [, publishedText, replyP99Text] = (await procs.waitLine(worker, /^DONE/, (seconds + 60) * 1000)).split(' ');
  const published = Number(publishedText);
  // the worker's side of the latency: creating an update to holding Redis's reply (NaN: no reply to wait for)
  r.workerReplyP99 = Number(replyP99Text);
  const expected = published * o.tabs * connected / o.connections;
  const drainEnd = Date.now() + (o.batch > 0 ? 2000 + 2 * o.batch : 10000); // batching: fewer than expected arrive
  while (stats.received < expected && Date.now() < drainEnd) await sleep(50);
  clearInterval(sampler);
  const cpu1 = procs.sample(pid);
  if (profileTo) procs.profiler(pid, o.profile, 'stop');
  // the rest of the system's cost per frame: the worker's publish path and Redis (a stored publish vs a bare PUBLISH)
  r.workerCpuPerFrameUs = (procs.sample(worker.pid).cpuSec - workerCpu0) / stats.received * 1e6;
  r.redisCpuPerFrameUs = (procs.sample(redisPid).cpuSec - redisCpu0) / stats.received * 1e6;
  // of that, the time Redis spent running the worker's commands (a stored publish: the script; the peers: PUBLISH)
  r.redisCommandUsPerPublish = procs.publishCommandMicros(procs.redisCli(redis.port, 'INFO', 'commandstats')) / published;
  r.rssLoadMiB = rssMax / 1024;
  const lastMs = stats.last ? stats.last / 1000 - (performance.timeOrigin + t0) : NaN;
  r.deliveredPerSec = stats.received / (lastMs / 1000);
  r.lost = expected - stats.received + stats.dup;
  if (o.batch > 0) { // replaced updates are by design (latest wins); a connection left behind its job's newest is not
    r.updatesPerFrame = stats.received / Math.max(1, stats.batchFrames);
    r.replaced = expected - stats.received;
    r.lost = behindLatest(conns) + stats.dup;
  }
  r.dup = stats.dup;
  r.cross = stats.cross;
  r.latP50 = percentile(stats.lat, stats.n, 50);
  r.latP99 = percentile(stats.lat, stats.n, 99);
  r.latP999 = percentile(stats.lat, stats.n, 99.9);
  r.cpuPerFrameUs = (cpu1.cpuSec - cpu0.cpuSec) / stats.received * 1e6; // per delivered update (with batching, several per frame)
  // of it, the kernel's part: the writes, and on loopback the receiving side's TCP work run inside them
  r.sysCpuPerFrameUs = (cpu1.sysSec - cpu0.sysSec) / stats.received * 1e6;
  r.systemCpuPerFrameUs = r.cpuPerFrameUs + r.workerCpuPerFrameUs + r.redisCpuPerFrameUs;
  r.published = published;
  r.received = stats.received;
  r.errorFrames = stats.errors;
  await sleep(1000);
  return r;
}

async function round(system, o, n) {
  const redisPort = await procs.freePort();
  const redis = await procs.startRedis(redisPort, o.redisPolicy);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const sys = await startSystem(system, redisUrl, await procs.freePort(), o);
  const pid = sys.server.pid;
  const r = {};
  let conns = [];
  try {
    const worker = await sys.worker();
    await sleep(1000);
    r.rssIdleMiB = procs.sample(pid).rssKiB / 1024;
    const liveIdle = isJvm(system) ? procs.liveHeapBytes(pid) : NaN; // forces a full GC
    const specs = [];
    for (let i = 0; i < o.connections; i++) {
      const u = Math.floor(i / o.tabs);
      const userId = `user${u}`;
      specs.push({ userId, token: jwt.sign({ sub: userId }, SECRET, { algorithm: 'HS256', expiresIn: '1h' }),
        jobs: Array.from({ length: o.jobs }, (_, k) => `u${u}-j${k}`) });
    }
    const stats = new Stats(Math.round(Math.max(...o.rates) * o.seconds) + 1000);
    for (let w = 0; w < o.warmup; w++) { // unmeasured: same size, then all closed, so the measured round meets a warm server
      const warm = await connectAll(sys.kind, sys.url, specs, o.inflight, new Stats(0));
      for (const c of warm.conns) c.close();
      await sleep(2000);
    }
    const overflows0 = procs.listenOverflows();
    const s0 = procs.sample(pid);
    const jit0 = isJvm(system) ? procs.threadsCpuSec(pid, JIT_THREADS) : NaN;
    const vm0 = isJvm(system) ? procs.threadsCpuSec(pid, VM_THREADS) : NaN;
    const gen0 = process.cpuUsage();
    const c = await connectAll(sys.kind, sys.url, specs, o.inflight, stats, o.batch);
    const gen = process.cpuUsage(gen0);
    const s1 = procs.sample(pid);
    // the server's own CPU per handshake: not capped by the generator, which shares the machine; of it, the
    // kernel's part and (JVM) the JIT compilers' and VM/GC threads'; and the generator's own (this process):
    // when the cores are what limits both rounds, a server at S us per handshake beats a peer at P us by at
    // most (P + G) / (S + G) in handshakes/s, with the generator at G us
    r.cpuPerHandshakeUs = (s1.cpuSec - s0.cpuSec) / c.conns.length * 1e6;
    r.sysCpuPerHandshakeUs = (s1.sysSec - s0.sysSec) / c.conns.length * 1e6;
    r.jitCpuPerHandshakeUs = isJvm(system) ? (procs.threadsCpuSec(pid, JIT_THREADS) - jit0) / c.conns.length * 1e6 : NaN;
    r.vmCpuPerHandshakeUs = isJvm(system) ? (procs.threadsCpuSec(pid, VM_THREADS) - vm0) / c.conns.length * 1e6 : NaN;
    r.generatorCpuPerHandshakeUs = (gen.user + gen.system) / c.conns.length;
    conns = c.conns;
    r.failedConnects = c.failed;
    r.listenOverflows = procs.listenOverflows() - overflows0;
    r.handshakesPerSec = c.conns.length / c.seconds;
    const cm = Float64Array.from(c.connectMs);
    r.connectP50 = percentile(cm, cm.length, 50);
    r.connectP99 = percentile(cm, cm.length, 99);
    await subscribeAll(conns);
    await sleep(2000);
    r.rssPerConnKiB = (procs.sample(pid).rssKiB - r.rssIdleMiB * 1024) / conns.length;
    r.steps = [];
    // unmeasured: the first rate for --warmSeconds, so the measured steps meet JIT-compiled delivery code
    if (o.warmSeconds > 0) await step(worker, pid, redis, stats, conns, o.rates[0], o.warmSeconds, o);
    for (const rate of o.rates) {
      const profileTo = o.profile && isJvm(system) ? path.join(o.logs, `profile-${system}-round${n}-${rate}.jfr`) : '';
      r.steps.push(await step(worker, pid, redis, stats, conns, rate, o.seconds, o, profileTo));
    }
    const ok = r.steps.filter((x) => x.lost === 0 && x.cross === 0 && x.latP99 < 50);
    r.bestRate = ok.length ? Math.max(...ok.map((x) => x.deliveredPerSec)) : 0;
    for (const x of r.steps) for (const [k, v] of Object.entries(x)) r[`${k}@${x.rate}`] = v;
    // live heap per (still open, subscribed) connection after a full GC, the publishing done
    r.liveHeapPerConnKiB = (procs.liveHeapBytes(pid) - liveIdle) / 1024 / conns.length;
    worker.stdin.write('QUIT\n');
    await Promise.race([worker.exited, sleep(5000)]);
    await procs.stop(worker);
  } finally {
    for (const c of conns) c.close();
    await procs.stop(sys.server);
    await procs.stop(redis);
  }
  return r;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(o.out, stamp);
  procs.setup(dir);
  o.logs = dir;
  if (o.systems.includes('seedstore')) { // the exact script jobprogress-redis runs, from the built classes
    const { execFileSync } = await import('node:child_process');
    PUBLISH_SCRIPT = path.join(dir, 'publish.lua');
    fs.writeFileSync(PUBLISH_SCRIPT, execFileSync('java', ['-cp', benchClasspath(), 'io.jobprogress.benchmarks.PublishScriptText'], { encoding: 'utf8' }));
  }
  const machine = `${os.cpus().length} x ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, node ${process.version}`;
  const load0 = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const started = new Date().toISOString();
  console.log(`load benchmark: ${JSON.stringify(o)}\nmachine: ${machine}\nload average at start: ${load0}\nlogs: ${dir}`);
  const results = Object.fromEntries(o.systems.map((s) => [s, []]));
  for (let i = 1; i <= o.rounds; i++) {
    for (const s of o.systems) {
      const r = await round(s, o, i);
      results[s].push(r);
      console.log(`round ${i} ${s}: ${JSON.stringify({ ...r, steps: undefined }, (k, v) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v))}`);
    }
  }
  const load1 = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const md = [
    `Run ${started} to ${new Date().toISOString()}; load average (1/5/15 min) ${load0} at the start, ${load1} at the end.`,
    `Machine: ${machine}. Java server: \`${o.java} ${JVM_FLAGS.join(' ')} -jar examples/demo-server/target/jobprogress-demo.jar\` (${(await javaVersion(o.java))}); its worker: \`java ${WORKER_JVM_FLAGS.join(' ')} io.jobprogress.benchmarks.LoadPublisher\`.${o.systems.includes('jvm2') ? ` System jvm2: \`${o.java2} ${JVM2_FLAGS.join(' ')}\` (${(await javaVersion(o.java2))}), ${o.jar2 ? `jar \`${o.jar2}\`` : 'the same jar'}, ${o.worker2 ? `worker classpath \`${o.worker2}\` before the benchmarks'` : 'the same worker'}.` : ''}`,
    `Command: \`benchmarks/load/run.sh ${process.argv.slice(2).join(' ')}\` (${o.connections} connections = ${o.connections / o.tabs} users x ${o.tabs} tabs, ${o.jobs} job(s) per user, ${o.rates.join(', ')} frames/s for ${o.seconds} s each, <= ${o.inflight} handshakes in flight, ${o.warmup} unmeasured warm-up connect round(s), ${o.warmSeconds} s of unmeasured publishing before the measured rates, every worker creating its updates in ticks of ${o.tick} ms, ${o.batch > 0 ? `batching opted in with a ${o.batch} ms window (CPU per delivered update; "lost" = connections left behind their job's newest update), ` : ''}${o.redisPolicy === 'fifo' ? 'every redis-server at SCHED_FIFO (chrt -f 10), ' : ''}plain WebSocket clients ${o.client === 'ws' ? 'from the `ws` package' : 'from lib/wire.mjs'}, ${o.rounds} round(s), medians).`,
    '',
    table(results, NAMES, o.rates),
  ].join('\n');
  console.log(`\n${md}\n`);
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify({ options: o, machine, load0, load1, results }, null, 2));
  fs.writeFileSync(path.join(dir, 'table.md'), `${md}\n`);
  console.log(`written: ${path.join(dir, 'table.md')}`);
  if (o.doc) { // e.g. --doc docs/benchmarks.md: appends this run as a subsection (relative to the repository)
    const doc = path.resolve(repo, o.doc);
    fs.appendFileSync(doc, `\n### Load run ${started.slice(0, 16).replace('T', ' ')} UTC (${o.rounds} round(s), ${o.connections} connections)\n\n${md}\n`);
    console.log(`appended to ${doc}`);
  }
}

async function javaVersion(java) {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  return (r.stderr || '').split('\n')[0] || 'java';
}

const deadline = setTimeout(() => { console.error('bench: overall time limit reached, stopping'); procs.stopAll().then(() => process.exit(3)); }, 60 * 60 * 1000);
deadline.unref();
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { procs.stopAll().then(() => process.exit(130)); });
main().then(() => procs.stopAll()).catch(async (e) => { console.error(`bench: ${e.stack || e}`); await procs.stopAll(); process.exit(1); });
