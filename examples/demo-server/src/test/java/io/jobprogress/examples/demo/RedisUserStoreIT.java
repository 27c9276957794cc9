package io.jobprogress.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.examples.demo.UserStore.User;
import io.jobprogress.redis.RedisServerProcess;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Users shared through a real redis-server: what one instance registers, another finds. */
class RedisUserStoreIT {
  static RedisServerProcess redis;
  static RedisClient a;
  static RedisClient b;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServerProcess.start();
    a = RedisClient.create(URI.create(redis.url()));
    b = RedisClient.create(URI.create(redis.url()));
  }

  @AfterAll
  static void stop() throws Exception {
    a.close();
    b.close();
    redis.close();
  }

  @Test
  void aUserRegisteredThroughOneClientIsFoundThroughAnother() {
    UserStore onA = new RedisUserStore(a, "users");
    UserStore onB = new RedisUserStore(b, "users");
    User u = new User("u-1", "shared@example.com", Passwords.hash("password123"));
    assertTrue(onA.create(u));
    Optional<User> found = onB.findByEmail("shared@example.com");
    assertEquals(Optional.of(u), found);
    assertTrue(Passwords.matches("password123", found.get().passwordHash()));
    assertEquals(Optional.empty(), onB.findByEmail("nobody@example.com"));
  }

  @Test
  void theSecondRegistrationOfAnEmailLosesOnEveryInstance() {
    UserStore onA = new RedisUserStore(a, "users");
    UserStore onB = new RedisUserStore(b, "users");
    assertTrue(onA.create(new User("u-2", "taken@example.com", "h1")));
    assertFalse(onB.create(new User("u-3", "taken@example.com", "h2")));
    assertEquals("u-2", onB.findByEmail("taken@example.com").orElseThrow().id());
  }

  @Test
  void aCorruptRecordIsAClearErrorAndOtherUsersStillWork() {
    UserStore store = new RedisUserStore(a, "users");
    a.hset("users", "corrupt@example.com", "{not json");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.findByEmail("corrupt@example.com"));
    assertTrue(e.getMessage().contains("corrupt@example.com"), e.getMessage());
    assertTrue(store.create(new User("u-4", "fine@example.com", "h")));
    assertTrue(store.findByEmail("fine@example.com").isPresent());
  }
}
