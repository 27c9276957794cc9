/**
 * The Redis transport: {@link io.jobprogress.redis.RedisBroadcaster} (pub/sub with heartbeat and
 * reconnect), {@link io.jobprogress.redis.RedisSnapshotStore} (snapshot, history and seq in one Lua
 * round trip) and their configuration {@link io.jobprogress.redis.RedisSettings}. Built on Jedis, and
 * works with any Jedis 6.x, 7.x or 8.x on the classpath (the versions Spring Boot 3.5 and 4.0 manage).
 */
package io.jobprogress.redis;
