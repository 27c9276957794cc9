// The worker side of peers B and C, as its own process (as a worker would be). Same line protocol as
// io.jobprogress.benchmarks.LoadPublisher (the jobprogress side):
//   start:  node publisher.mjs <seed|socketio> <redisUrl> <users> <jobsPerUser>
//           records every job's owner (HSET bench:owner), prints "READY"
//   stdin:  "GO <publishesPerSecond> <seconds> <tickMs>" -> publishes round-robin over the jobs at that rate,
//           every tickMs ms the updates due by then (LoadPublisher does the same), then
//           prints "DONE <published> <replyP99Ms>" (the 99th percentile of creating an update to holding
//           Redis's reply to its PUBLISH or EVALSHA; "NaN" for socketio, whose emitter gives no reply);
//           "QUIT" or end of input -> exits.
// Every update's message is "b <n> <sendEpochMicros>" (n: 1-based count per job) so that the load
// generator can measure publish -> receive latency, loss and duplicates.
// seed: ioredis PUBLISH job:<jobId> <event JSON>.  socketio: @socket.io/redis-emitter into room job:<jobId>.
// seedstore: the seed's event JSON, stored and published by jobprogress's own publish script (EVALSHA of the
// text in $PUBLISH_SCRIPT, keys and arguments as RedisPublisher builds them with the default settings), so
// that the seed-style server runs behind the same Redis work per update as jobprogress. The payload gains
// "seq" and "epoch", which the seed-style server ignores.
import crypto from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import Redis from 'ioredis';
import { Emitter } from '@socket.io/redis-emitter';

const [kind, url, usersArg, jobsArg] = process.argv.slice(2);
const users = Number(usersArg);
const jobsPerUser = Number(jobsArg);
const redis = new Redis(url);
const jobs = [];
for (let u = 0; u < users; u++) for (let k = 0; k < jobsPerUser; k++) jobs.push({ jobId: `u${u}-j${k}`, userId: `user${u}`, n: 0 });
const emitter = kind === 'socketio' ? new Emitter(redis) : null;
const micros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const store = kind === 'seedstore' ? await storeScript(process.env.PUBLISH_SCRIPT) : null;

/** Loads the publish script; returns the function that stores and publishes one event through it. */
async function storeScript(file) {
  const sha = await redis.script('LOAD', fs.readFileSync(file, 'utf8'));
  const hex = () => crypto.randomBytes(8).toString('hex');
  // RedisKeys with the default (empty) prefix; RedisSettings' defaults: 24 h TTL, history of 100, 1,000 jobs
  // per user index. The applied-call mark: one stream (this process), slot 0, as a synchronous publish has
  let counter = 0;
  const field = `m${hex()}.0`;
  return (job, event) => {
    const ch = `job:${job.jobId}`;
    const json = JSON.stringify(event);
    return redis.evalsha(sha, 4, `jp:{${ch}}:meta`, `jp:{${ch}}:snap`, `jp:{${ch}}:hist`,
      `jp:{user:${job.userId}}:jobs`, `${json.slice(0, -1)},"seq":`, '"}', ch, '', hex(), '86400', '100', field,
      String(Date.now()), job.jobId, '1000', String(++counter));
  };
}

const owners = [];
for (const j of jobs) owners.push(j.jobId, j.userId);
for (let i = 0; i < owners.length; i += 2000) await redis.hset('bench:owner', ...owners.slice(i, i + 2000));
console.log('READY');

/** ms from creating each update to Redis's reply for it, this GO's (the emitter has no reply: stays empty) */
let replyMs = [];

function publishOne(job) {
  job.n++;
  const created = performance.now();
  const event = { jobId: job.jobId, userId: job.userId, status: 'processing', progress: job.n % 100,
    stage: 'inference', message: `b ${job.n} ${micros()}`, timestamp: new Date().toISOString() };
  if (emitter) { emitter.to(`job:${job.jobId}`).emit('progress', { type: 'progress', ...event }); return; }
  const reply = store ? store(job, event) : redis.publish(`job:${job.jobId}`, JSON.stringify(event));
  reply.then(() => replyMs.push(performance.now() - created));
}

/** The 99th percentile (nearest rank) of this GO's reply times in ms, or NaN without any. */
function replyP99() {
  if (replyMs.length === 0) return 'NaN';
  const v = [...replyMs].sort((a, b) => a - b);
  return v[Math.ceil(0.99 * v.length) - 1].toFixed(3);
}

/** Publishes rate updates/s for seconds, creating each tick's due updates every tickMs ms. */
function run(rate, seconds, tickMs) {
  replyMs = [];
  const start = performance.now();
  const total = Math.round(rate * seconds);
  let sent = 0;
  let next = 0;
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor((performance.now() - start) / 1000 * rate));
    while (sent < due) { publishOne(jobs[next]); next = (next + 1) % jobs.length; sent++; }
    if (sent >= total) { clearInterval(timer); redis.ping().then(() => console.log(`DONE ${sent} ${replyP99()}`)); }
  }, tickMs);
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const [cmd, a, b, c] = line.trim().split(/\s+/);
  if (cmd === 'GO') {
    if (!(Number(a) > 0 && Number(b) > 0 && Number.isInteger(Number(c)) && Number(c) >= 1)) {
      console.error(`publisher: expected "GO <publishesPerSecond> <seconds> <tickMs>", got "${line.trim()}"`);
      process.exit(2);
    }
    run(Number(a), Number(b), Number(c));
  }
  else if (cmd === 'QUIT') { redis.disconnect(); process.exit(0); }
});
rl.on('close', () => { redis.disconnect(); process.exit(0); });
