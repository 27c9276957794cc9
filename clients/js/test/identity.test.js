import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { groupName, identityKey, sha256Hex, tokenSubject } from '../src/identity.js';
import { jwt } from '../test-support/setup.js';

test('sha256Hex matches node:crypto on block boundaries and multi-byte text', () => {
  for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'ü😀'.repeat(50), 'x'.repeat(1000)]) {
    assert.equal(sha256Hex(text), createHash('sha256').update(text).digest('hex'), `length ${text.length}`);
  }
});

test('tokenSubject reads iss and sub of a JWT without verifying it, and nothing from other tokens', () => {
  assert.equal(tokenSubject(jwt({ sub: 'user-ä', iss: 'demo', exp: 1 })), 'demo\nuser-ä');
  assert.equal(tokenSubject(jwt({ sub: 'u1' })), '\nu1');
  assert.equal(tokenSubject(jwt({ exp: 1 })), undefined, 'no sub');
  assert.equal(tokenSubject(jwt({ sub: 42 })), undefined, 'sub not a string');
  assert.equal(tokenSubject('opaque-token'), undefined);
  assert.equal(tokenSubject('a.!!!.c'), undefined, 'payload not base64 JSON');
});

test('identityKey is the same for two tokens of one user, differs between users and never shows the id', () => {
  const alice1 = identityKey(jwt({ sub: 'alice', exp: 1 }));
  const alice2 = identityKey(jwt({ sub: 'alice', exp: 2 }));
  const bob = identityKey(jwt({ sub: 'bob', exp: 1 }));
  assert.equal(alice1, alice2);
  assert.notEqual(alice1, bob);
  assert.match(alice1, /^[0-9a-f]{16}$/);
  assert.ok(!groupName('ws://h/ws', alice1).includes('alice'));
  assert.notEqual(identityKey('opaque-1'), identityKey('opaque-2'), 'opaque tokens are keyed by themselves');
  assert.equal(identityKey(''), null);
  assert.equal(identityKey(undefined), null);
  assert.equal(identityKey(jwt({ sub: 'alice', tenant: 't9' }), (t) => JSON.parse(atob(t.split('.')[1])).tenant),
    identityKey(jwt({ sub: 'bob', tenant: 't9' }), (t) => JSON.parse(atob(t.split('.')[1])).tenant), 'a custom identity claim');
});
