package io.jobprogress.examples.demo;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Accounts in one Redis hash (field = e-mail, value = the account as JSON), so every instance sharing
 * {@code REDIS_URL} knows every user. {@code HSETNX} makes registration atomic across instances.
 * Thread-safe; each call is one blocking round trip.
 */
public final class RedisUserStore implements UserStore {
  private static final Gson GSON = new Gson();
  private final UnifiedJedis redis;
  private final String key;

  /** Uses the hash at {@code key} (e.g. {@code jobprogress:demo:users}). */
  public RedisUserStore(UnifiedJedis redis, String key) {
    this.redis = redis;
    this.key = key;
  }

  @Override
  public boolean create(User user) {
    return redis.hsetnx(key, user.email(), GSON.toJson(user)) == 1;
  }

  @Override
  public Optional<User> findByEmail(String email) {
    String json = redis.hget(key, email);
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(GSON.fromJson(json, User.class));
    } catch (JsonParseException e) {
      throw new IllegalStateException("user record of " + email + " in " + key + " is not valid JSON", e);
    }
  }
}
