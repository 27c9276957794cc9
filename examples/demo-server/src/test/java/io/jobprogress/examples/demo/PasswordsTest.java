package io.jobprogress.examples.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordsTest {

  @Test
  void aHashMatchesItsPasswordOnlyAndNeverContainsIt() {
    String h = Passwords.hash("password123");
    assertTrue(h.startsWith("pbkdf2-sha256$" + Passwords.ITERATIONS + "$"), h);
    assertFalse(h.contains("password123"));
    assertTrue(Passwords.matches("password123", h));
    assertFalse(Passwords.matches("password124", h));
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTimeBecauseOfTheSalt() {
    assertNotEquals(Passwords.hash("password123"), Passwords.hash("password123"));
  }

  @Test
  void aMalformedStoredHashNeverMatches() {
    for (String stored : new String[] {"", "plain", "pbkdf2-sha256$x$y$z", "md5$1$AA==$AA==", "pbkdf2-sha256$1$!!$AA=="}) {
      assertFalse(Passwords.matches("password123", stored), stored);
    }
  }
}
