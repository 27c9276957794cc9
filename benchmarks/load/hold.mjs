// Opens N authenticated connections (users x 2 tabs) to a jobprogress server, subscribes each to its user's
// job, prints "HELD", and keeps them open until stdin closes. Used by hold.sh; not part of the test suite.
//   node hold.mjs <ws-url> <N> [query|header]
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { Stats, connectAll, subscribeAll } from './lib/clients.mjs';

const [url, n, where = 'query'] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const SECRET = 'load-benchmark-secret-at-least-32-bytes-long!';
const specs = [];
for (let i = 0; i < n; i++) {
  const u = Math.floor(i / 2);
  specs.push({ userId: `user${u}`, token: jwt.sign({ sub: `user${u}` }, SECRET, { algorithm: 'HS256', expiresIn: '1h' }), jobs: [`u${u}-j0`] });
}
let conns;
if (where === 'header') { // the token in Authorization: Bearer instead of ?token=
  conns = [];
  let next = 0;
  const open = (s) => new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, headers: { Authorization: `Bearer ${s.token}` } });
    ws.on('error', reject);
    ws.on('message', (d) => {
      const f = JSON.parse(d);
      if (f.type === 'connected') ws.send(JSON.stringify({ type: 'subscribe', data: { jobId: s.jobs[0] } }));
      else if (f.type === 'subscribed') resolve(ws);
    });
  });
  await Promise.all(Array.from({ length: 200 }, async () => { while (next < n) conns.push(await open(specs[next++])); }));
  console.log(`connected ${conns.length}`);
} else {
  const c = await connectAll('ws', url, specs, 200, new Stats(10));
  console.log(`connected ${c.conns.length} failed ${c.failed} in ${c.seconds.toFixed(2)} s = ${(c.conns.length / c.seconds).toFixed(0)}/s`);
  await subscribeAll(c.conns);
}
console.log('HELD');
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
