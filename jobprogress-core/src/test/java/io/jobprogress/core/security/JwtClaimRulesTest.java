package io.jobprogress.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.CloseReason;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import io.jobprogress.core.TokenRejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/**
 * The time and header rules of {@link JwtTokenVerifier}, one test per rule: {@code exp} is a present
 * number in the future; {@code nbf} and {@code iat} are numbers when present; {@code iat} is not ahead
 * beyond the clock skew; a token lives no longer than the maximum lifetime; any {@code crit} header is
 * refused. Each refusal is {@code invalid_token} with a message naming the rule, and a good token signed
 * with the same key is accepted right after (the verifier is not left broken).
 */
class JwtClaimRulesTest {
  private static final AttackFixture KEY = AttackFixture.HS256;
  private final JwtTokenVerifier verifier = KEY.verifier();

  @Test
  void expNullIsRefusedInsteadOfMakingAnEternalToken() throws Exception {
    assertRefused(KEY.signRaw("", AttackFixture.validWith("exp", "null")), "exp");
  }

  @Test
  void expAsAStringIsRefused() throws Exception {
    String inTenMinutes = "\"" + Instant.now().plusSeconds(600).getEpochSecond() + "\"";
    assertRefused(KEY.signRaw("", AttackFixture.validWith("exp", inTenMinutes)), "exp");
  }

  @Test
  void expMissingIsRefused() throws Exception {
    assertRefused(KEY.sign(AttackFixture.valid("alice").expirationTime(null).build()), "exp");
  }

  @Test
  void nbfThatIsNotANumberIsRefused() throws Exception {
    assertRefused(KEY.signRaw("", AttackFixture.validWith("nbf", "null")), "nbf");
    assertRefused(KEY.signRaw("", AttackFixture.validWith("nbf", "\"yesterday\"")), "nbf");
  }

  @Test
  void iatThatIsNotANumberIsRefused() throws Exception {
    assertRefused(KEY.signRaw("", AttackFixture.validWith("iat", "null")), "iat");
    assertRefused(KEY.signRaw("", AttackFixture.validWith("iat", "[1]")), "iat");
  }

  @Test
  void iatInTheFutureBeyondTheClockSkewIsRefusedAndWithinItAccepted() throws Exception {
    assertRefused(KEY.sign(AttackFixture.valid("alice").issueTime(Date.from(Instant.now().plusSeconds(600))).build()),
        "iat");
    String slightlyAhead = KEY.sign(AttackFixture.valid("alice").issueTime(Date.from(Instant.now().plusSeconds(20))).build());
    assertEquals("alice", verifier.verify(slightlyAhead).userId(), "20 s ahead is within the default 60 s skew");
  }

  @Test
  void lifetimeFromIatLongerThanTheDefault24HoursIsRefused() throws Exception {
    Instant now = Instant.now();
    // expires in an hour, but was issued 30 hours ago: a 31-hour token
    assertRefused(KEY.sign(AttackFixture.valid("alice").issueTime(Date.from(now.minus(Duration.ofHours(30))))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1)))).build()), "lifetime");
    String day = KEY.sign(AttackFixture.valid("alice").expirationTime(Date.from(now.plus(Duration.ofHours(23)))).build());
    assertEquals("alice", verifier.verify(day).userId(), "23 hours is within the default maximum");
  }

  @Test
  void lifetimeWithoutIatIsCountedFromNow() throws Exception {
    Instant now = Instant.now();
    assertRefused(KEY.sign(AttackFixture.valid("alice").issueTime(null)
        .expirationTime(Date.from(now.plus(Duration.ofHours(48)))).build()), "lifetime");
    assertEquals("alice", verifier.verify(KEY.sign(AttackFixture.valid("alice").issueTime(null).build())).userId());
  }

  @Test
  void maximumLifetimeIsConfigurable() throws Exception {
    JwtTokenVerifier halfHour = JwtTokenVerifier.hmac(new String(AttackFixture.SECRET, StandardCharsets.UTF_8))
        .maxTokenLifetime(Duration.ofMinutes(30)).build();
    TokenRejectedException e = assertThrows(TokenRejectedException.class,
        () -> halfHour.verify(KEY.sign(AttackFixture.valid("alice").build())), "a one-hour token");
    assertTrue(e.getMessage().contains("lifetime"), e.getMessage());
    String tenMinutes = KEY.sign(AttackFixture.valid("alice")
        .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10)))).build());
    assertEquals("alice", halfHour.verify(tenMinutes).userId());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> JwtTokenVerifier.hmac(
        new String(AttackFixture.SECRET, StandardCharsets.UTF_8)).maxTokenLifetime(Duration.ZERO).build());
    assertTrue(zero.getMessage().contains("maxTokenLifetime"), zero.getMessage());
  }

  @Test
  void critHeaderNamingAnUnknownParameterIsRefused() throws Exception {
    assertRefused(aliceWithHeader(",\"crit\":[\"x-unknown\"],\"x-unknown\":1"), "crit");
  }

  @Test
  void emptyCritListIsRefused() throws Exception {
    assertRefused(aliceWithHeader(",\"crit\":[]"), "crit");
  }

  @Test
  void critHeaderSetToNullIsRefused() throws Exception {
    // nimbus drops a null member when it parses the header: the verifier must still see it
    assertRefused(aliceWithHeader(",\"crit\":null"), "crit");
    assertRefused(aliceWithHeader(", \"crit\" : null "), "crit");
  }

  @Test
  void critHeaderNamedWithUnicodeEscapesIsRefused() throws Exception {
    // JSON may spell the name with escapes: the header text then never contains the word crit
    assertRefused(aliceWithHeader(",\"cr\\u0069t\":null"), "crit");
    assertRefused(aliceWithHeader(",\"\\u0063\\u0072\\u0069\\u0074\":[]"), "crit");
  }

  @Test
  void aHeaderMemberThatOnlyLooksLikeCritIsAccepted() throws Exception {
    // the word in a value, an escape in another member's value: no crit member, so the token is good
    assertEquals("alice", verifier.verify(aliceWithHeader(",\"kid\":\"crit\"")).userId());
    assertEquals("alice", verifier.verify(aliceWithHeader(",\"x-note\":\"caf\\u00e9\"")).userId());
  }

  /** A valid token for alice whose JOSE header also holds {@code extraHeader} (raw JSON, leading comma). */
  private static String aliceWithHeader(String extraHeader) throws Exception {
    return KEY.signRaw(extraHeader, AttackFixture.validWith("sub", "\"alice\""));
  }

  @Test
  void everyRuleHoldsForRs256Too() throws Exception {
    JwtTokenVerifier rs = AttackFixture.RS256.verifier();
    for (String bad : new String[] {
        AttackFixture.RS256.signRaw("", AttackFixture.validWith("exp", "null")),
        AttackFixture.RS256.signRaw(",\"crit\":[]", AttackFixture.validWith("sub", "\"alice\"")),
        AttackFixture.RS256.sign(AttackFixture.valid("alice").issueTime(Date.from(Instant.now().plusSeconds(600))).build())}) {
      TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> rs.verify(bad));
      assertEquals(CloseReason.INVALID_TOKEN, e.reason(), e.getMessage());
    }
    assertEquals("alice", rs.verify(AttackFixture.RS256.sign(AttackFixture.valid("alice").build())).userId());
  }

  /** {@code token} is refused as invalid with a message naming {@code rule}; a good token passes afterwards. */
  private void assertRefused(String token, String rule) throws Exception {
    TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> verifier.verify(token),
        "accepted a token breaking the '" + rule + "' rule");
    assertEquals(CloseReason.INVALID_TOKEN, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(rule), () -> "expected '" + rule + "' in: " + e.getMessage());
    assertFalse(e.getMessage().contains(token), "the message must not contain the token");
    assertEquals("alice", verifier.verify(KEY.sign(AttackFixture.valid("alice").build())).userId());
  }
}
