// Watches one job over WebSocket until it ends: node watch-job.mjs <ws-url> <token> <jobId>
// The token goes in the subprotocol bearer (as the browser client does by default), not in the URL, so
// nginx's access and error logs never see it. Node 22+ has a global WebSocket; on Node 20 run it with
// --experimental-websocket. Exit 0 on a terminal state, 1 when the connection ends first.
const [url, token, jobId] = process.argv.slice(2);
if (!url || !token || !jobId) {
  console.error('usage: node watch-job.mjs ws://host:port/ws <token> <jobId>');
  process.exit(2);
}
const ws = new WebSocket(url, ['jobprogress.v1', `bearer.${token}`]);
const timer = setTimeout(() => { console.error('watch-job: no terminal state within 60 s'); process.exit(1); }, 60000);
ws.onmessage = (e) => {
  const f = JSON.parse(e.data);
  console.log(new Date().toISOString().slice(11, 23), f.type, f.status ?? '', f.progress ?? '', f.stage ?? '');
  if (f.type === 'connected') ws.send(JSON.stringify({ type: 'subscribe', data: { jobId } }));
  if (f.type === 'progress' && ['completed', 'failed', 'cancelled'].includes(f.status)) {
    clearTimeout(timer);
    ws.close(1000);
  }
};
ws.onclose = (e) => {
  if (e.code !== 1000) {
    console.error('watch-job: connection closed', e.code, e.reason);
    process.exit(1);
  }
};
