package io.jobprogress.redis;

/** {@link RedisBroadcaster} in PATTERN mode passes the Broadcaster contract. */
class RedisBroadcasterPatternContractTest extends RedisBroadcasterContractBase {
  @Override
  RedisSettings.Mode mode() {
    return RedisSettings.Mode.PATTERN;
  }
}
