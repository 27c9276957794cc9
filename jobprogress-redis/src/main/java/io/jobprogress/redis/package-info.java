/**
 * The Redis transport: {@link io.jobprogress.redis.RedisBroadcaster} (pub/sub with heartbeat and
 * reconnect), {@link io.jobprogress.redis.RedisSnapshotStore} (snapshot, history and seq in one Lua
 * round trip) and their configuration {@link io.jobprogress.redis.RedisSettings}. Built on Jedis 8.
 */
package io.jobprogress.redis;
