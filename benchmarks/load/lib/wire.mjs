// A lean RFC 6455 client for the load generator: one net.Socket, a hand-written upgrade request and a
// frame parser, nothing else. The generator is one Node process on the same 2 cores as the server it
// measures, so its own CPU per handshake bounds handshakes/s for every system alike (README, step 5); the
// `ws` package's client goes through Node's HTTP client (ClientRequest, agent, llhttp) for each upgrade.
// This one still checks what a client must: status 101, `Upgrade: websocket` and the
// `Sec-WebSocket-Accept` derived from its own random key; it masks every frame it sends with a fresh
// random key, refuses masked or reserved-bit server frames, joins fragments, answers ping and close.
// `--client ws` (bench.mjs) switches back to the `ws` package, to check that both see the same frames.
import net from 'node:net';
import { createHash, randomFillSync } from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER = 16 * 1024;
const MAX_MESSAGE = 16 * 1024 * 1024;

// random bytes for keys and masks, refilled in bulk (one getrandom per 4 KiB, not one per frame)
const pool = Buffer.allocUnsafe(4096);
let poolAt = pool.length;
function random(n) {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += n;
  return pool.subarray(poolAt - n, poolAt);
}

/**
 * One client connection to `ws://host:port<path>`. Events are plain callbacks, set before the socket
 * connects: onOpen(), onMessage(text), onError(err) (once; the socket is destroyed), onClose(code, reason)
 * (once, when the socket closed after the upgrade; code 1005 when no close frame came).
 */
export class WireSocket {
  constructor(host, port, path) {
    this.onOpen = null;
    this.onMessage = null;
    this.onError = null;
    this.onClose = null;
    this.open = false; // upgraded and no close frame seen yet: frames may be sent
    this.upgraded = false;
    this.failed = false;
    this.buf = null; // unparsed input
    this.closeCode = 1005; // from the server's close frame
    this.closeReason = '';
    this.parts = null; // fragments of the message being received
    this.partsLength = 0;
    const key = random(16).toString('base64');
    this.accept = createHash('sha1').update(key + GUID).digest('base64');
    const s = net.connect({ host, port, noDelay: true });
    this.socket = s;
    s.on('data', (d) => this.onData(d));
    s.on('error', (e) => this.fail(e));
    s.on('close', () => {
      if (!this.upgraded) this.fail(new Error('connection closed before the upgrade'));
      else if (!this.failed && this.onClose) this.onClose(this.closeCode, this.closeReason);
      this.open = false;
    });
    s.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  }

  fail(e) {
    if (this.failed) return;
    this.failed = true;
    this.open = false;
    this.socket.destroy();
    if (this.onError) this.onError(e);
  }

  onData(d) {
    let b = this.buf ? Buffer.concat([this.buf, d]) : d;
    this.buf = null;
    if (!this.upgraded) {
      const end = b.indexOf(HEADER_END);
      if (end < 0) {
        if (b.length > MAX_HEADER) this.fail(new Error('upgrade response header too large'));
        else this.buf = b;
        return;
      }
      const err = this.checkUpgrade(b.toString('latin1', 0, end));
      if (err) { this.fail(err); return; }
      this.upgraded = true;
      this.open = true;
      b = b.subarray(end + 4);
      if (this.onOpen) this.onOpen();
    }
    let at = 0;
    while (!this.failed && b.length - at >= 2) {
      const b0 = b[at];
      const b1 = b[at + 1];
      if (b1 & 0x80) { this.fail(new Error('the server masked a frame')); return; }
      if (b0 & 0x70) { this.fail(new Error('reserved bits set (no extension was negotiated)')); return; }
      let len = b1 & 0x7f;
      let head = 2;
      if (len === 126) {
        if (b.length - at < 4) break;
        len = b.readUInt16BE(at + 2);
        head = 4;
      } else if (len === 127) {
        if (b.length - at < 10) break;
        len = Number(b.readBigUInt64BE(at + 2));
        head = 10;
      }
      if (len > MAX_MESSAGE) { this.fail(new Error(`frame of ${len} bytes`)); return; }
      if (b.length - at < head + len) break;
      this.onFrame(b0 & 0x80, b0 & 0x0f, b.subarray(at + head, at + head + len));
      at += head + len;
    }
    if (at < b.length && !this.failed) this.buf = Buffer.from(b.subarray(at)); // a partial frame, kept for the next chunk
  }

  /** The upgrade response's header block: null when it is a valid 101 for this key, else the error. */
  checkUpgrade(head) {
    const lines = head.split('\r\n');
    const status = /^HTTP\/1\.1 (\d{3})/.exec(lines[0]);
    if (!status) return new Error(`not an HTTP/1.1 response: ${lines[0].slice(0, 60)}`);
    if (status[1] !== '101') return new Error(`HTTP ${status[1]}`);
    let upgrade = false;
    let accept = null;
    for (let i = 1; i < lines.length; i++) {
      const c = lines[i].indexOf(':');
      if (c < 0) continue;
      const name = lines[i].slice(0, c).trim().toLowerCase();
      const value = lines[i].slice(c + 1).trim();
      if (name === 'upgrade') upgrade = value.toLowerCase() === 'websocket';
      else if (name === 'sec-websocket-accept') accept = value;
      else if (name === 'sec-websocket-extensions' && value) return new Error(`extension not offered: ${value}`);
    }
    if (!upgrade) return new Error('101 without Upgrade: websocket');
    if (accept !== this.accept) return new Error(`wrong Sec-WebSocket-Accept: ${accept}`);
    return null;
  }

  onFrame(fin, op, payload) {
    if (op >= 8) { // control: whole, at most 125 bytes
      if (!fin || payload.length > 125) { this.fail(new Error('fragmented or long control frame')); return; }
      if (op === 9) this.write(10, payload);
      else if (op === 8) {
        if (payload.length >= 2) {
          this.closeCode = payload.readUInt16BE(0);
          this.closeReason = payload.toString('utf8', 2);
        }
        if (this.open) this.write(8, payload.subarray(0, 2));
        this.open = false;
        this.socket.end();
      }
      return;
    }
    if (op === 0) {
      if (!this.parts) { this.fail(new Error('continuation without a message')); return; }
    } else {
      if (this.parts) { this.fail(new Error('new message inside a fragmented one')); return; }
      if (op !== 1) { this.fail(new Error(`unexpected opcode ${op}`)); return; }
      if (fin) { if (this.onMessage) this.onMessage(payload.toString('utf8')); return; }
      this.parts = [];
      this.partsLength = 0;
    }
    this.parts.push(Buffer.from(payload));
    this.partsLength += payload.length;
    if (this.partsLength > MAX_MESSAGE) { this.fail(new Error('message too large')); return; }
    if (fin) {
      const whole = Buffer.concat(this.parts, this.partsLength);
      this.parts = null;
      if (this.onMessage) this.onMessage(whole.toString('utf8'));
    }
  }

  /** Sends one text message (one frame). */
  send(text) {
    if (this.open) this.write(1, Buffer.from(text, 'utf8'));
  }

  write(op, payload) {
    const len = payload.length;
    const head = len < 126 ? 2 : len < 65536 ? 4 : 10;
    const f = Buffer.allocUnsafe(head + 4 + len);
    f[0] = 0x80 | op;
    if (head === 2) f[1] = 0x80 | len;
    else if (head === 4) { f[1] = 0x80 | 126; f.writeUInt16BE(len, 2); }
    else { f[1] = 0x80 | 127; f.writeBigUInt64BE(BigInt(len), 2); }
    const mask = random(4);
    mask.copy(f, head);
    for (let i = 0; i < len; i++) f[head + 4 + i] = payload[i] ^ mask[i & 3];
    this.socket.write(f);
  }

  /** Drops the connection at once, like ws's terminate(). */
  terminate() {
    this.open = false;
    this.failed = true;
    this.socket.destroy();
  }
}
