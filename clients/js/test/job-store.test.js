import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createJobStore, isTerminal } from '../src/job-store.js';

const update = (fields) => ({ type: 'progress', jobId: 'J', status: 'processing', progress: 0, ...fields });

test('an update with a higher seq replaces the stored one and a lower or equal seq is dropped', () => {
  const store = createJobStore();
  assert.equal(store.accept(update({ seq: 2, progress: 20 })), true);
  assert.equal(store.accept(update({ seq: 1, progress: 10 })), false);
  assert.equal(store.accept(update({ seq: 2, progress: 20 })), false);
  assert.equal(store.accept(update({ seq: 3, progress: 30 })), true);
  assert.equal(store.get('J').progress, 30);
});

test('seq decides even when the progress value goes down', () => {
  const store = createJobStore();
  store.accept(update({ seq: 1, progress: 50 }));
  assert.equal(store.accept(update({ seq: 2, progress: 10, stage: 'retry' })), true);
});

test('without seq the timestamp decides, then the progress, then the status', () => {
  const store = createJobStore();
  store.accept(update({ timestamp: '2025-01-01T00:00:02Z', progress: 20 }));
  assert.equal(store.accept(update({ timestamp: '2025-01-01T00:00:01Z', progress: 90 })), false);
  assert.equal(store.accept(update({ timestamp: '2025-01-01T00:00:03Z', progress: 30 })), true);
  assert.equal(store.accept(update({ timestamp: '2025-01-01T00:00:03Z', progress: 25 })), false);
  assert.equal(store.accept(update({ timestamp: '2025-01-01T00:00:03Z', progress: 35 })), true);
  assert.equal(store.accept(update({ timestamp: '2025-01-01T00:00:03Z', progress: 35, status: 'queued' })), false);
  assert.equal(store.accept(update({ timestamp: '2025-01-01T00:00:03Z', progress: 35, status: 'completed' })), true);
});

test('an exact duplicate without seq or timestamp is ignored', () => {
  const store = createJobStore();
  store.accept(update({ progress: 40, stage: 'a', message: 'x' }));
  assert.equal(store.accept(update({ progress: 40, stage: 'a', message: 'x' })), false);
});

test('a terminal state is never replaced within the same epoch', () => {
  const store = createJobStore();
  store.accept(update({ seq: 5, status: 'completed', progress: 100 }));
  assert.equal(store.accept(update({ seq: 6, status: 'processing', progress: 100 })), false);
  assert.equal(store.get('J').status, 'completed');
});

test('a new epoch is accepted whatever its seq and a retired epoch stays retired', () => {
  const store = createJobStore();
  store.accept(update({ epoch: 'a', seq: 40, progress: 40 }));
  assert.equal(store.accept(update({ epoch: 'b', seq: 1, progress: 41 })), true);
  assert.equal(store.accept(update({ epoch: 'a', seq: 41, progress: 42 })), false);
  assert.equal(store.accept(update({ epoch: 'b', seq: 2, progress: 45 })), true);
});

test('a terminal state of an old epoch can be replaced by the new epoch', () => {
  const store = createJobStore();
  store.accept(update({ epoch: 'a', seq: 9, status: 'failed' }));
  assert.equal(store.accept(update({ epoch: 'b', seq: 1, status: 'queued' })), true);
});

test('completed, failed and cancelled are the terminal statuses', () => {
  assert.deepEqual(['queued', 'processing', 'completed', 'failed', 'cancelled', undefined].map(isTerminal), [false, false, true, true, true, false]);
});
