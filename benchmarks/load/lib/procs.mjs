// Child processes of the benchmark: started here, each pid appended to a pid file (run.sh's trap stops
// whatever is still listed there, by pid, if this process dies), stopped by pid with SIGTERM then SIGKILL.
// Also reads a process's RSS and CPU time from /proc.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const children = new Set();
let pidFile = null;
let logDir = null;

export function setup(dir) {
  logDir = dir;
  fs.mkdirSync(dir, { recursive: true });
  pidFile = path.join(dir, 'pids');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Starts cmd with args; resolves once a stdout line matches ready (or rejects after timeoutMs / on exit). */
export function start(name, cmd, args, { env = {}, ready, timeoutMs = 60000 } = {}) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  if (pidFile) fs.appendFileSync(pidFile, `${child.pid}\n`);
  const log = fs.createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  child.stderr.pipe(log);
  child.lines = [];
  child.waiters = [];
  let buf = '';
  child.stdout.on('data', (d) => {
    log.write(d);
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      for (const w of [...child.waiters]) if (w.re.test(line)) { child.waiters.splice(child.waiters.indexOf(w), 1); w.resolve(line); }
    }
  });
  child.exited = new Promise((resolve) => child.on('exit', (code, sig) => {
    children.delete(child);
    for (const w of child.waiters) w.reject(new Error(`${name} exited (${code ?? sig}) before "${w.re.source}"; see ${name}.log`));
    resolve();
  }));
  child.name = name;
  return ready ? waitLine(child, ready, timeoutMs).then(() => child) : Promise.resolve(child);
}

export function waitLine(child, re, timeoutMs) {
  return new Promise((resolve, reject) => {
    const w = { re, resolve: (l) => { clearTimeout(t); resolve(l); }, reject: (e) => { clearTimeout(t); reject(e); } };
    const t = setTimeout(() => { child.waiters.splice(child.waiters.indexOf(w), 1); reject(new Error(`${child.name}: no "${re.source}" within ${timeoutMs} ms`)); }, timeoutMs);
    child.waiters.push(w);
  });
}

export async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await child.exited;
  clearTimeout(t);
}

export async function stopAll() {
  await Promise.all([...children].map(stop));
}

/**
 * Starts a redis-server on port. policy 'fifo' moves it to SCHED_FIFO (`chrt -f -p 10`, needs root or
 * CAP_SYS_NICE): no ordinary process can then take its core in the middle of a command (it still shares the
 * cores, and takes one from whatever runs there whenever it wakes); 'other' (the default) leaves it to the
 * ordinary scheduler like everything else.
 */
export async function startRedis(port, policy = 'other') {
  const redis = await start(`redis-${port}`, 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { ready: /Ready to accept connections/ });
  redis.port = port; // for redisCli
  if (policy === 'fifo') execFileSync('chrt', ['-f', '-a', '-p', '10', String(redis.pid)]); // -a: every thread
  return redis;
}

/** Runs redis-cli against the loopback Redis on port; returns its output. */
export function redisCli(port, ...args) {
  return execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
}

/**
 * Microseconds Redis spent in the commands a worker sends to publish, from `INFO commandstats`: the
 * scripts (EVALSHA, EVAL, whose inner commands, PUBLISH included, are inside their time) when there are
 * any, else PUBLISH and SPUBLISH.
 */
export function publishCommandMicros(commandstats) {
  const usec = {};
  for (const m of commandstats.matchAll(/^cmdstat_(\w+):calls=\d+,usec=(\d+)/gm)) usec[m[1]] = Number(m[2]);
  const scripts = (usec.evalsha ?? 0) + (usec.eval ?? 0);
  return scripts > 0 ? scripts : (usec.publish ?? 0) + (usec.spublish ?? 0);
}

const CLK_TCK = 100; // getconf CLK_TCK on Linux x86_64

/** { rssKiB, cpuSec } of pid from /proc. */
export function sample(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  const userSec = Number(f[11]) / CLK_TCK; // field 14 utime
  const sysSec = Number(f[12]) / CLK_TCK; // field 15 stime: in the kernel (system calls, the network stack run for them)
  return { rssKiB, cpuSec: userSec + sysSec, userSec, sysSec };
}

/** CPU seconds (utime + stime) of the threads of pid whose name matches re, e.g. the JIT compilers'. */
export function threadsCpuSec(pid, re) {
  let sum = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      if (!re.test(fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim())) continue;
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += (Number(f[11]) + Number(f[12])) / CLK_TCK;
    } catch { /* the thread ended meanwhile */ }
  }
  return sum;
}

/** TcpExt ListenOverflows of this network namespace (SYNs dropped because a listen queue was full). */
export function listenOverflows() {
  const lines = fs.readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'));
  const names = lines[0].split(/\s+/);
  const values = lines[1].split(/\s+/);
  return Number(values[names.indexOf('ListenOverflows')]);
}

/**
 * Starts ('start', with the JFR file to write) or stops ('stop') async-profiler's CPU sampling in a running
 * JVM by loading its agent (libasyncProfiler.so) through `jcmd JVMTI.agent_load`; the options go to the
 * agent as one quoted string, which jcmd would otherwise split at the commas. Throws when the agent refuses.
 */
export function profiler(pid, lib, action, file) {
  const options = action === 'start' ? `start,event=cpu,interval=1ms,file=${file},jfr` : 'stop';
  const out = execFileSync('jcmd', [String(pid), 'JVMTI.agent_load', lib, `"${options}"`], { encoding: 'utf8' });
  if (!/return code: 0\b/.test(out)) throw new Error(`bench: async-profiler ${action} failed in ${pid}: ${out.trim()}`);
}

/** Live heap bytes of a JVM after a full GC: the total of `jcmd <pid> GC.class_histogram` (which runs one). NaN when jcmd fails. */
export function liveHeapBytes(pid) {
  const r = spawnSync('jcmd', [String(pid), 'GC.class_histogram'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const m = /^Total\s+\d+\s+(\d+)/m.exec(r.stdout || '');
  return m ? Number(m[1]) : NaN;
}
