package io.jobprogress.examples.demo;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Accounts in this process only (lost at restart). Thread-safe, never blocks. */
public final class InMemoryUserStore implements UserStore {
  private final ConcurrentHashMap<String, User> byEmail = new ConcurrentHashMap<>();

  @Override
  public boolean create(User user) {
    return byEmail.putIfAbsent(user.email(), user) == null;
  }

  @Override
  public Optional<User> findByEmail(String email) {
    return Optional.ofNullable(byEmail.get(email));
  }
}
