package io.jobprogress.redis;

/** {@link RedisBroadcaster} in INTEREST mode passes the Broadcaster contract. */
class RedisBroadcasterInterestContractTest extends RedisBroadcasterContractBase {
  @Override
  RedisSettings.Mode mode() {
    return RedisSettings.Mode.INTEREST;
  }
}
