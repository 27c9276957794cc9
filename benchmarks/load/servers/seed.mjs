// Peer B: a Node server built the seed's way. ws + ioredis PSUBSCRIBE job:* + jsonwebtoken, speaking the
// jobprogress contract subset the benchmark uses: ?token= auth, connected, subscribe/unsubscribe/ping,
// progress frames. Ownership of a job: HGET bench:owner <jobId> (written by publisher.mjs before clients
// subscribe), the same one Redis read per subscribe that jobprogress's default authorizer does.
// Env: PORT, REDIS_URL, JWT_SECRET. Prints "LISTENING <port>" when ready.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import Redis from 'ioredis';
import jwt from 'jsonwebtoken';

const port = Number(process.env.PORT);
const secret = process.env.JWT_SECRET;
const redis = new Redis(process.env.REDIS_URL);
const sub = new Redis(process.env.REDIS_URL);
const byJob = new Map(); // jobId -> Set<ws>
const now = () => new Date().toISOString();

const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname !== '/ws') { socket.destroy(); return; }
  let userId;
  try {
    userId = jwt.verify(url.searchParams.get('token') || '', secret, { algorithms: ['HS256'] }).sub;
  } catch {
    socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, String(userId)));
});

function onConnection(ws, userId) {
  ws.userId = userId;
  ws.jobs = new Set();
  ws.send(JSON.stringify({ type: 'connected', message: 'Connected to live updates', timestamp: now() }));
  ws.on('message', async (raw) => {
    let msg;
    try { msg = JSON.parse(raw); } catch { ws.send(JSON.stringify({ type: 'error', error: 'Invalid JSON', timestamp: now() })); return; }
    const jobId = msg && msg.data && msg.data.jobId;
    if (msg.type === 'ping') { ws.send(JSON.stringify({ type: 'pong', timestamp: now() })); return; }
    if (msg.type === 'subscribe' && typeof jobId === 'string') {
      const owner = await redis.hget('bench:owner', jobId);
      if (owner !== userId) { ws.send(JSON.stringify({ type: 'error', error: 'Job not found', timestamp: now() })); return; }
      let set = byJob.get(jobId);
      if (!set) byJob.set(jobId, (set = new Set()));
      set.add(ws);
      ws.jobs.add(jobId);
      ws.send(JSON.stringify({ type: 'subscribed', jobId, timestamp: now() }));
      return;
    }
    if (msg.type === 'unsubscribe' && typeof jobId === 'string') {
      drop(ws, jobId);
      ws.send(JSON.stringify({ type: 'unsubscribed', jobId, timestamp: now() }));
      return;
    }
    ws.send(JSON.stringify({ type: 'error', error: 'Unknown message type', timestamp: now() }));
  });
  ws.on('close', () => { for (const j of ws.jobs) drop(ws, j); });
}

function drop(ws, jobId) {
  const set = byJob.get(jobId);
  if (set) { set.delete(ws); if (set.size === 0) byJob.delete(jobId); }
  ws.jobs.delete(jobId);
}

sub.psubscribe('job:*');
sub.on('pmessage', (_pattern, _channel, message) => {
  let e;
  try { e = JSON.parse(message); } catch { return; }
  const set = byJob.get(e.jobId);
  if (!set) return;
  const frame = JSON.stringify({ type: 'progress', jobId: e.jobId, userId: e.userId, status: e.status,
    progress: e.progress, stage: e.stage, message: e.message, timestamp: e.timestamp });
  for (const ws of set) if (ws.userId === e.userId && ws.readyState === 1) ws.send(frame);
});

server.listen(port, '127.0.0.1', () => console.log(`LISTENING ${port}`));
const stop = () => { wss.clients.forEach((c) => c.terminate()); server.close(); redis.disconnect(); sub.disconnect(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
