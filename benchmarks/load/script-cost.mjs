// What a jobprogress publish costs Redis, and which parts of the publish script it goes to. Starts its own
// redis-server on a free loopback port (never the shared 6379), takes the publish script's exact text from
// the built classes (io.jobprogress.benchmarks.PublishScriptText), and runs it and variants of it with parts
// cut out, interleaved, `--reps` times each: `--events` EVALSHAs per run (fresh event ids, jobs round-robin
// over 500 users, pipelined 64 at a time, a pattern subscriber draining the PUBLISHes as a server would).
// Prints per variant the median Redis CPU per publish (utime + stime of redis-server, networking included)
// and Redis's time inside the script per publish (INFO commandstats). A measurement, not a test.
//   node benchmarks/load/script-cost.mjs [--events 60000] [--reps 4]
// Needs the builds run.sh makes (benchmarks classes + target/cp.txt), npm ci here, redis-server on the PATH.
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Redis from 'ioredis';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const opt = { events: 60000, reps: 4 };
for (let i = 2; i < process.argv.length; i += 2) opt[process.argv[i].replace(/^--/, '')] = Number(process.argv[i + 1]);

const cp = `${path.join(repo, 'benchmarks/target/classes')}:${fs.readFileSync(path.join(repo, 'benchmarks/target/cp.txt'), 'utf8').trim()}`;
const full = execFileSync('java', ['-cp', cp, 'io.jobprogress.benchmarks.PublishScriptText'], { encoding: 'utf8' });
const lines = full.split('\n');
/** The script without the lines matching any of the patterns; each pattern must cut something. */
function without(text, ...patterns) {
  let out = text.split('\n');
  for (const p of patterns) {
    const kept = out.filter((l) => !p.test(l));
    if (kept.length === out.length) throw new Error(`script-cost: ${p} cut nothing: the script changed`);
    out = kept;
  }
  return out.join('\n');
}
/** The script without the event-id marker's check: its GET block, up to the first "end". */
function withoutMarkerCheck(text) {
  const a = text.split('\n');
  const from = a.findIndex((l) => /redis\.call\('GET', KEYS\[4\]\)/.test(l));
  const to = a.indexOf('end', from);
  if (from < 0 || to < 0) throw new Error('script-cost: the marker check changed');
  a.splice(from, to - from + 1);
  return a.join('\n');
}
/** The script without the event-id marker: its check and its SET. */
const withoutMarker = (text) => without(withoutMarkerCheck(text), /redis\.call\('SET', KEYS\[4\]/);
/**
 * The script with the marker's SET going to one key per job (KEYS[1] .. ':m', overwritten by every publish)
 * instead of a new key per event: what creating a key with a TTL costs over writing one. Not a correct
 * script (a retry could not find its mark), a measurement only; single node.
 */
function markerOverwritten(text) {
  const out = text.replace("redis.call('SET', KEYS[4], seq", "redis.call('SET', KEYS[1] .. ':m', seq");
  if (out === text) throw new Error('script-cost: the marker SET changed');
  return out;
}
/** The script without the user index update: its ZADD block (up to the first "end") and its EXPIRE. */
function withoutUserIndex(text) {
  const a = text.split('\n');
  const from = a.findIndex((l) => /redis\.call\('ZADD', KEYS\[5\]/.test(l));
  const to = a.indexOf('end', from);
  if (from < 0 || to < 0) throw new Error('script-cost: the user index update changed');
  a.splice(from, to - from + 1);
  return without(a.join('\n'), /redis\.call\('EXPIRE', KEYS\[5\]/);
}
const expires = /redis\.call\('EXPIRE', KEYS\[[13]\]/;
const VARIANTS = [
  ['the publish script', full],
  ['without the event-id marker check (GET)', withoutMarkerCheck(full)],
  ['without the event-id marker (GET + SET)', withoutMarker(full)],
  ['without the marker SET (its GET kept)', without(full, /redis\.call\('SET', KEYS\[4\]/)],
  ['the marker SET to one overwritten key per job', markerOverwritten(full)],
  ['without the meta and history EXPIREs', without(full, expires)],
  ['without the marker and those EXPIREs', without(withoutMarker(full), expires)],
  ['without the user index (ZADD + EXPIRE)', withoutUserIndex(full)],
  ['without the history (XADD + EXPIRE)', without(full, /redis\.call\('(XADD|EXPIRE)', KEYS\[3\]/)],
  ['PUBLISH of the assembled payload only', ["local payload = ARGV[1] .. 1 .. ',\"epoch\":\"' .. ARGV[5] .. ARGV[2]", "redis.call('PUBLISH', ARGV[3], payload)", 'return 1'].join('\n')],
  ['empty (EVALSHA of the same keys and arguments)', 'return 1'],
];

const port = await new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
const stop = () => { try { server.kill('SIGTERM'); } catch { /* gone */ } };
process.on('exit', stop);
const redis = new Redis({ port, lazyConnect: true });
const sub = new Redis({ port, lazyConnect: true });
for (const c of [redis, sub]) for (let i = 0; ; i++) { try { await c.connect(); break; } catch (e) { if (i > 50) throw e; c.disconnect(); await new Promise((r) => setTimeout(r, 100)); } }
let delivered = 0;
await sub.psubscribe('job:*');
sub.on('pmessage', () => { delivered++; });

const cpuTicks = () => { const f = fs.readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
const hex = () => crypto.randomBytes(8).toString('hex');
let n = 0;
/** Keys and arguments as RedisPublisher builds them under the default settings (the payload is a real envelope). */
function call() {
  n++;
  const job = `u${n % 500}-j0`, user = `user${n % 500}`, ch = `job:${job}`;
  const head = `{"type":"progress","jobId":"${job}","userId":"${user}","status":"processing","progress":${n % 100},"stage":"inference","message":"b ${n} 1764342000000000","timestamp":"2026-11-28T15:00:00.000Z","seq":`;
  return [`jp:{${ch}}:meta`, `jp:{${ch}}:snap`, `jp:{${ch}}:hist`, `jp:{${ch}}:ev:${hex()}`, `jp:{user:${user}}:jobs`,
    head, '","nodeId":"0123456789abcdef"}', ch, '', hex(), '86400', '100', '60', String(Date.now()), job, '1000'];
}

async function run(script) {
  const sha = await redis.script('LOAD', script);
  const publishes = script.includes("'PUBLISH'");
  await redis.config('RESETSTAT');
  const d0 = delivered, c0 = cpuTicks();
  for (let done = 0; done < opt.events;) {
    const p = redis.pipeline();
    for (let b = 0; b < 64 && done < opt.events; b++, done++) p.evalsha(sha, 5, ...call());
    for (const [e] of await p.exec()) if (e) throw e;
  }
  while (publishes && delivered - d0 < opt.events) await new Promise((r) => setTimeout(r, 5));
  const ticks = cpuTicks() - c0;
  const usec = Number(/cmdstat_evalsha:calls=\d+,usec=(\d+)/.exec(await redis.info('commandstats'))[1]);
  return { cpu: ticks * 1e4 / opt.events, script: usec / opt.events };
}

const med = (xs) => { const v = [...xs].sort((a, b) => a - b); return v[v.length >> 1]; };
const results = VARIANTS.map(() => []);
for (let r = 0; r < opt.reps; r++) for (const [i, [, script]] of VARIANTS.entries()) results[i].push(await run(script));
console.log(`redis-server ${execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).split(' ')[2]}, ${opt.events} publishes per run, ${opt.reps} interleaved runs per variant, medians (all runs in brackets)\n`);
console.log('| variant | Redis CPU per publish | time inside the script per publish |\n|---|---|---|');
for (const [i, [name]] of VARIANTS.entries()) {
  const c = results[i].map((x) => x.cpu), s = results[i].map((x) => x.script);
  console.log(`| ${name} | ${med(c).toFixed(1)} us (${c.map((x) => x.toFixed(1)).join(' / ')}) | ${med(s).toFixed(1)} us |`);
}
redis.disconnect();
sub.disconnect();
stop();
