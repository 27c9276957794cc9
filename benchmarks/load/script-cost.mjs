// What a jobprogress publish costs Redis, and which parts of the publish script it goes to. Starts its own
// redis-server on a free loopback port (never the shared 6379), takes the publish script's exact text from
// the built classes (io.jobprogress.benchmarks.PublishScriptText), and runs it and variants of it with parts
// cut out, interleaved, `--reps` times each: `--events` EVALSHAs per run (a fresh mark counter each, jobs round-robin
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
/** The script without the applied-call mark: not read by the HMGET, not checked, not written by the HSET. */
function withoutMark(text) {
  const a = text.split('\n');
  const from = a.findIndex((l) => /^if st\[4\] then$/.test(l));
  const to = a.indexOf('end', from);
  if (from < 0 || to < 0) throw new Error('script-cost: the mark check changed');
  a.splice(from, to - from + 1);
  const out = a.join('\n').replace("'seq', ARGV[8])", "'seq')").replace(", ARGV[8], ARGV[12] .. ':' .. seq}", '}');
  if (out.includes('ARGV[8]') || out.includes('ARGV[12]')) throw new Error('script-cost: the mark fields changed');
  return out;
}
/**
 * The marks as they were before the meta hash held them (until 2026-11-29), rebuilt on the script without
 * the mark: a key per call (KEYS[5], a fresh id each call) read by a GET first and written by SET ... EX 60
 * before the user index. What the marks in the meta hash replaced, measured side by side.
 */
function keyPerCall(text) {
  const a = withoutMark(text).split('\n');
  const index = a.findIndex((l) => /redis\.call\('ZADD', KEYS\[4\]/.test(l));
  if (index < 0) throw new Error('script-cost: the user index update changed');
  a.splice(index, 0, "redis.call('SET', KEYS[5], seq .. ':' .. epoch, 'EX', 60)");
  return ["local done = redis.call('GET', KEYS[5])", 'if done then', "  local sep = string.find(done, ':', 1, true)",
    "  return {-2, tonumber(string.sub(done, 1, sep - 1)), string.sub(done, sep + 1)}", 'end', ...a].join('\n');
}
/** The script without the user index update: its ZADD block (up to the first "end") and its EXPIRE. */
function withoutUserIndex(text) {
  const a = text.split('\n');
  const from = a.findIndex((l) => /redis\.call\('ZADD', KEYS\[4\]/.test(l));
  const to = a.indexOf('end', from);
  if (from < 0 || to < 0) throw new Error('script-cost: the user index update changed');
  a.splice(from, to - from + 1);
  return without(a.join('\n'), /redis\.call\('EXPIRE', KEYS\[4\]/);
}
const expires = /redis\.call\('EXPIRE', KEYS\[[13]\]/;
const VARIANTS = [
  ['the publish script', full],
  ['without the applied-call mark', withoutMark(full)],
  ['with a key per call as the mark instead (GET + SET, as before 2026-11-29)', keyPerCall(full)],
  ['without the meta and history EXPIREs', without(full, expires)],
  ['without the mark and those EXPIREs', without(withoutMark(full), expires)],
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
const MARK = `m${hex()}.0`; // one mark stream, slot 0, counter n: as a synchronous publish
/**
 * Keys and arguments as RedisPublisher builds them under the default settings (the payload is a real
 * envelope), and a fifth key (a fresh id per call) that only the key-per-call variant uses.
 */
function call() {
  n++;
  const job = `u${n % 500}-j0`, user = `user${n % 500}`, ch = `job:${job}`;
  const head = `{"type":"progress","jobId":"${job}","userId":"${user}","status":"processing","progress":${n % 100},"stage":"inference","message":"b ${n} 1764342000000000","timestamp":"2026-11-28T15:00:00.000Z","seq":`;
  return [`jp:{${ch}}:meta`, `jp:{${ch}}:snap`, `jp:{${ch}}:hist`, `jp:{user:${user}}:jobs`, `jp:{${ch}}:ev:${hex()}`,
    head, '","nodeId":"0123456789abcdef"}', ch, '', hex(), '86400', '100', MARK, String(Date.now()), job, '1000',
    String(n)];
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
