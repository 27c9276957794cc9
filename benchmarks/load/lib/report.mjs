// Medians over rounds, ratios against the seed-style Node server, and the Markdown table.
export const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

export function percentile(arr, n, p) {
  if (n === 0) return NaN;
  const v = Float64Array.from(arr.subarray(0, n)).sort();
  return v[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)];
}

const BASE = [
  ['handshakes/s (connect + JWT verify + connected)', 'handshakesPerSec', 0, ''],
  ['server CPU per handshake', 'cpuPerHandshakeUs', 0, ' us'],
  ['of it in the kernel (stime)', 'sysCpuPerHandshakeUs', 0, ' us'],
  ['of it in the JIT compiler threads (JVM only)', 'jitCpuPerHandshakeUs', 0, ' us'],
  ['of it in the VM thread and GC threads (Serial collections, safepoints; JVM only)', 'vmCpuPerHandshakeUs', 0, ' us'],
  ['generator CPU per handshake (bounds handshakes/s: it shares the cores)', 'generatorCpuPerHandshakeUs', 0, ' us'],
  ['connect p50', 'connectP50', 1, ' ms'],
  ['connect p99', 'connectP99', 1, ' ms'],
  ['failed connects', 'failedConnects', 0, ''],
  ['SYN drops (TcpExt ListenOverflows, whole machine) during connects', 'listenOverflows', 0, ''],
  ['RSS idle (no connections)', 'rssIdleMiB', 1, ' MiB'],
  ['RSS per idle connection (subscribed)', 'rssPerConnKiB', 1, ' KiB'],
  ['live heap per connection after a full GC (JVM only)', 'liveHeapPerConnKiB', 1, ' KiB'],
  ['highest delivered frames/s with p99 < 50 ms, 0 loss (of the rates run)', 'bestRate', 0, ''],
];
const PER_RATE = [
  ['publish -> receive p50', 'latP50', 2, ' ms'],
  ['publish -> receive p99', 'latP99', 2, ' ms'],
  ['publish -> receive p99.9', 'latP999', 2, ' ms'],
  ["worker: update created -> Redis's reply, p99 (the worker's side of the latency)", 'workerReplyP99', 2, ' ms'],
  ['delivered frames/s', 'deliveredPerSec', 0, ''],
  ['lost frames', 'lost', 0, ''],
  ['duplicate frames', 'dup', 0, ''],
  ['cross-user frames', 'cross', 0, ''],
  ['RSS under load (max)', 'rssLoadMiB', 1, ' MiB'],
  ['server CPU per delivered frame (per update with --batch)', 'cpuPerFrameUs', 1, ' us'],
  ['of it in the kernel (stime)', 'sysCpuPerFrameUs', 1, ' us'],
  ['worker CPU per delivered frame', 'workerCpuPerFrameUs', 1, ' us'],
  ['Redis CPU per delivered frame', 'redisCpuPerFrameUs', 1, ' us'],
  ['Redis time in the publish commands per publish (INFO commandstats: the script, or PUBLISH)', 'redisCommandUsPerPublish', 1, ' us'],
  ['whole system CPU per delivered frame (server + worker + Redis; the generator not counted)', 'systemCpuPerFrameUs', 1, ' us'],
  ['updates per frame (--batch)', 'updatesPerFrame', 2, ''],
  ['updates replaced by newer ones (--batch)', 'replaced', 0, ''],
];

const fmt = (x, d, unit) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) + unit : 'n/a');

/** results: { system: [roundResult...] }; returns the Markdown table of medians and ratios. */
export function table(results, names, rates) {
  const METRICS = [...BASE, ...rates.flatMap((rate) => PER_RATE.map(([l, k, d, u]) => [`${l} @ ${rate}/s`, `${k}@${rate}`, d, u]))];
  const systems = Object.keys(results);
  const med = {};
  for (const s of systems) { med[s] = {}; for (const [, k] of METRICS) med[s][k] = median(results[s].map((r) => r[k])); }
  const peers = systems.filter((s) => s !== 'jobprogress');
  const head = ['metric', ...systems.map((s) => names[s])];
  const ratioCols = systems.includes('jobprogress') ? peers.map((p) => `jobprogress / ${names[p]}`) : [];
  const lines = [`| ${[...head, ...ratioCols].join(' | ')} |`, `|${' --- |'.repeat(head.length + ratioCols.length)}`];
  for (const [label, k, d, unit] of METRICS) {
    if (systems.every((s) => !Number.isFinite(med[s][k]))) continue; // e.g. the --batch rows without --batch
    const cells = systems.map((s) => fmt(med[s][k], d, unit));
    const ratios = ratioCols.length ? peers.map((p) => {
      const r = med.jobprogress[k] / med[p][k];
      return Number.isFinite(r) && med[p][k] !== 0 ? `${r.toFixed(2)}x` : '';
    }) : [];
    lines.push(`| ${[label, ...cells, ...ratios].join(' | ')} |`);
  }
  return lines.join('\n');
}
