// Peer C: Socket.IO 4 with @socket.io/redis-adapter, one room per job ("job:<jobId>"). Auth: the JWT in
// the handshake (auth.token or ?token=), verified with jsonwebtoken. Events: "connected" on connect,
// "subscribe" {jobId} -> "subscribed" after an ownership check (HGET bench:owner, as peer B), "progress"
// emitted into the room by the worker through @socket.io/redis-emitter (publisher.mjs).
// Env: PORT, REDIS_URL, JWT_SECRET. Prints "LISTENING <port>" when ready.
import http from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import jwt from 'jsonwebtoken';

const port = Number(process.env.PORT);
const secret = process.env.JWT_SECRET;
const pub = new Redis(process.env.REDIS_URL);
const sub = pub.duplicate();
const redis = pub.duplicate();
const now = () => new Date().toISOString();

const server = http.createServer();
const io = new Server(server, { path: '/socket.io', transports: ['websocket'], serveClient: false });
io.adapter(createAdapter(pub, sub));
io.use((socket, next) => {
  const token = socket.handshake.auth?.token || socket.handshake.query?.token;
  try {
    socket.data.userId = String(jwt.verify(token || '', secret, { algorithms: ['HS256'] }).sub);
    next();
  } catch {
    next(new Error('unauthorized'));
  }
});
io.on('connection', (socket) => {
  socket.emit('connected', { message: 'Connected to live updates', timestamp: now() });
  socket.on('subscribe', async (data) => {
    const jobId = data && data.jobId;
    if (typeof jobId !== 'string') { socket.emit('error_frame', { error: 'jobId required', timestamp: now() }); return; }
    const owner = await redis.hget('bench:owner', jobId);
    if (owner !== socket.data.userId) { socket.emit('error_frame', { error: 'Job not found', timestamp: now() }); return; }
    socket.join(`job:${jobId}`);
    socket.emit('subscribed', { jobId, timestamp: now() });
  });
  socket.on('unsubscribe', (data) => {
    if (data && typeof data.jobId === 'string') socket.leave(`job:${data.jobId}`);
    socket.emit('unsubscribed', { jobId: data && data.jobId, timestamp: now() });
  });
  socket.on('ping_frame', () => socket.emit('pong', { timestamp: now() }));
});

server.listen(port, '127.0.0.1', () => console.log(`LISTENING ${port}`));
const stop = () => { io.close(); pub.disconnect(); sub.disconnect(); redis.disconnect(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
