package io.jobprogress.examples.demo;

import java.util.Optional;

/**
 * The demo's accounts: e-mail (normalised to lower case) to user id and password hash. In memory for one
 * instance ({@link InMemoryUserStore}), in a Redis hash when instances share users ({@link RedisUserStore}).
 *
 * <p>Implementations are thread-safe; the Redis one blocks for a round trip and throws Jedis' runtime
 * exceptions when Redis is down.
 */
public interface UserStore {

  /** One account. */
  record User(String id, String email, String passwordHash) {}

  /** Stores {@code user} unless its e-mail is taken; returns whether it was stored. */
  boolean create(User user);

  /** The account registered with {@code email}. */
  Optional<User> findByEmail(String email);
}
