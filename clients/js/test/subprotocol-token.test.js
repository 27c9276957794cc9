import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createJobProgressClient } from '../src/jobprogress-client.js';
import { flush, follow, setup } from '../test-support/setup.js';

test('tokenTransport subprotocol offers the token as a bearer subprotocol and keeps it out of the URL', async () => {
  const { client, WebSocket } = setup({ tokenTransport: 'subprotocol' });
  follow(client, 'J1');
  await flush();
  assert.equal(WebSocket.last.url, 'ws://test.local/ws');
  assert.deepEqual(WebSocket.last.protocols, ['jobprogress.v1', 'bearer.t1']);
  WebSocket.last.accept();
  assert.deepEqual(WebSocket.last.takeSent(), [{ type: 'subscribe', data: { jobId: 'J1' } }]);
  client.close();
});

test('a reconnect after token_expired offers the fresh token as the bearer subprotocol', async () => {
  const { client, WebSocket } = setup({ tokenTransport: 'subprotocol', enablePolling: false });
  follow(client, 'J1');
  await flush();
  WebSocket.last.accept();
  WebSocket.last.serverClose(1008, 'token_expired');
  await flush();
  assert.deepEqual(WebSocket.last.protocols, ['jobprogress.v1', 'bearer.t2']);
  assert.equal(WebSocket.last.url, 'ws://test.local/ws');
  client.close();
});

test('the default offers the token as the bearer subprotocol, never in the URL', async () => {
  const { client, WebSocket } = setup();
  follow(client, 'J1');
  await flush();
  assert.equal(WebSocket.last.url, 'ws://test.local/ws');
  assert.deepEqual(WebSocket.last.protocols, ['jobprogress.v1', 'bearer.t1']);
  client.close();
});

test('tokenTransport query still puts the token in the query, as the contract says', async () => {
  const { client, WebSocket } = setup({ tokenTransport: 'query' });
  follow(client, 'J1');
  await flush();
  assert.equal(WebSocket.last.url, 'ws://test.local/ws?token=t1');
  assert.equal(WebSocket.last.protocols, undefined);
  client.close();
});

test('an unknown tokenTransport is refused with a message naming the option', () => {
  assert.throws(
    () => createJobProgressClient({ url: 'ws://x/ws', getToken: () => 't', tokenTransport: 'cookie' }),
    /option tokenTransport must be 'query' or 'subprotocol', was cookie/,
  );
});
