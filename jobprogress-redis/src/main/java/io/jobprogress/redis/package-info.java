/**
 * API: the Redis transport. {@link io.jobprogress.redis.RedisBroadcaster} (pub/sub with heartbeat and
 * reconnect), {@link io.jobprogress.redis.RedisSnapshotStore} (snapshot, history and seq in one Lua
 * round trip), {@link io.jobprogress.redis.RedisPublisher} (the one publish path, used by the
 * broadcaster and the worker-side publisher), their configuration
 * {@link io.jobprogress.redis.RedisSettings} / {@link io.jobprogress.redis.RedisUrl}, the
 * {@link io.jobprogress.redis.RedisBroadcasterFactory} found by {@link java.util.ServiceLoader}, and the
 * exceptions {@link io.jobprogress.redis.RedisException} and
 * {@link io.jobprogress.redis.PublishSupersededException}. Every other type is package-private. Built on
 * Jedis, and works with any Jedis 6.x, 7.x or 8.x on the classpath (the versions Spring Boot 3.5 and 4.0
 * manage).
 */
package io.jobprogress.redis;
