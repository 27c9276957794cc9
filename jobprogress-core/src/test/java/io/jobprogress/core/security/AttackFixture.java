package io.jobprogress.core.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The token attack matrix: one named hostile token per case, for a verifier pinned to HS256 and one
 * pinned to RS256 (both requiring {@code iss} and {@code aud}). Shared by the attack-matrix and the
 * log-capture tests, and (public, in the core test-jar) by the container-level attack matrix.
 */
public enum AttackFixture {
  HS256, RS256;

  public static final String ISSUER = "https://issuer.test";
  public static final String AUDIENCE = "jobprogress";
  public static final byte[] SECRET = "attack-matrix-secret-0123456789-abcdefghij".getBytes(StandardCharsets.UTF_8);
  public static final byte[] WRONG_SECRET = "another-secret-of-enough-length-0123456789".getBytes(StandardCharsets.UTF_8);

  public JwtTokenVerifier verifier() {
    JwtTokenVerifier.Builder b = this == HS256
        ? JwtTokenVerifier.hmac(new String(SECRET, StandardCharsets.UTF_8))
        : JwtTokenVerifier.publicKeyPem(TokenMint.pem(TokenMint.RSA.getPublic())).algorithms(JWSAlgorithm.RS256);
    return b.issuer(ISSUER).audience(AUDIENCE).build();
  }

  /** Claims the verifier accepts, for {@code sub}. */
  public static JWTClaimsSet.Builder valid(String sub) {
    return TokenMint.claims(sub, Duration.ofHours(1)).issuer(ISSUER).audience(AUDIENCE);
  }

  /** Signs with this fixture's real key. */
  public String sign(JWTClaimsSet claims) {
    return this == HS256 ? TokenMint.hs256(SECRET, claims) : TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.RS256, null, claims);
  }

  /** Signs with the same algorithm and the wrong key. */
  public String signWrong(JWTClaimsSet claims) {
    return this == HS256 ? TokenMint.hs256(WRONG_SECRET, claims)
        : TokenMint.rsa(TokenMint.OTHER_RSA, JWSAlgorithm.RS256, null, claims);
  }

  /**
   * Signs a raw header and payload with this fixture's real key and algorithm; {@code header} is the JSON
   * after {@code "alg"} (e.g. {@code ,"crit":[]}), or empty.
   */
  public String signRaw(String header, String payloadJson) {
    String h = "{\"alg\":\"" + this + "\"" + header + "}";
    return this == HS256 ? TokenMint.hs256Raw(SECRET, h, payloadJson) : TokenMint.rsaRaw(TokenMint.RSA, h, payloadJson);
  }

  /** The JSON of {@link #valid} claims with {@code claim} set to the raw JSON {@code value} ({@code null} included). */
  public static String validWith(String claim, String value) {
    com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(valid("alice").build().toString())
        .getAsJsonObject();
    o.add(claim, com.google.gson.JsonParser.parseString(value));
    return new com.google.gson.GsonBuilder().serializeNulls().create().toJson(o);
  }

  /**
   * Key confusion: for RS256, an HS256 token whose HMAC secret is the RSA public key (PEM text, what an
   * attacker can download); for HS256, an RS256 token from some RSA key.
   */
  public String confused(JWTClaimsSet claims) {
    return this == RS256
        ? TokenMint.hs256(TokenMint.pem(TokenMint.RSA.getPublic()).getBytes(StandardCharsets.US_ASCII), claims)
        : TokenMint.rsa(TokenMint.OTHER_RSA, JWSAlgorithm.RS256, null, claims);
  }

  /** One attack: a name, how to make the token, the close reason it must get. */
  public record Attack(String name, Function<AttackFixture, String> token, CloseReason expected) {}

  public static final List<Attack> ATTACKS = List.of(
      new Attack("no token", f -> null, CloseReason.INVALID_TOKEN),
      new Attack("empty token", f -> "", CloseReason.INVALID_TOKEN),
      new Attack("garbage", f -> "this-is.not-a.jwt-at-all", CloseReason.INVALID_TOKEN),
      new Attack("alg none", f -> TokenMint.none(valid("mallory").build()), CloseReason.INVALID_TOKEN),
      new Attack("signed with the wrong secret or key", f -> f.signWrong(valid("mallory").build()),
          CloseReason.INVALID_TOKEN),
      new Attack("HS/RS key confusion", f -> f.confused(valid("mallory").build()), CloseReason.INVALID_TOKEN),
      new Attack("expired", f -> f.sign(valid("alice")
          .expirationTime(Date.from(Instant.now().minusSeconds(600))).build()), CloseReason.TOKEN_EXPIRED),
      new Attack("exp missing", f -> f.sign(valid("alice").expirationTime(null).build()),
          CloseReason.INVALID_TOKEN),
      new Attack("nbf in the future", f -> f.sign(valid("alice")
          .notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build()), CloseReason.INVALID_TOKEN),
      new Attack("wrong iss", f -> f.sign(valid("alice").issuer("https://evil.test").build()),
          CloseReason.INVALID_TOKEN),
      new Attack("wrong aud", f -> f.sign(valid("alice").audience("another-service").build()),
          CloseReason.INVALID_TOKEN),
      new Attack("missing subject", f -> f.sign(valid("alice").subject(null).build()), CloseReason.INVALID_TOKEN),
      new Attack("payload altered after signing", f -> TokenMint.withPayload(
          f.sign(valid("alice").build()), valid("mallory").build()), CloseReason.INVALID_TOKEN),
      new Attack("truncated signature", f -> {
        String t = f.sign(valid("alice").build());
        return t.substring(0, t.length() - 8);
      }, CloseReason.INVALID_TOKEN),
      new Attack("exp null", f -> f.signRaw("", validWith("exp", "null")), CloseReason.INVALID_TOKEN),
      new Attack("exp as a string", f -> f.signRaw("", validWith("exp",
          "\"" + Instant.now().plusSeconds(600).getEpochSecond() + "\"")), CloseReason.INVALID_TOKEN),
      new Attack("iat in the future", f -> f.sign(valid("alice")
          .issueTime(Date.from(Instant.now().plusSeconds(600))).build()), CloseReason.INVALID_TOKEN),
      new Attack("crit unknown", f -> f.signRaw(",\"crit\":[\"x-unknown\"],\"x-unknown\":1",
          validWith("sub", "\"alice\"")), CloseReason.INVALID_TOKEN),
      new Attack("crit empty", f -> f.signRaw(",\"crit\":[]", validWith("sub", "\"alice\"")),
          CloseReason.INVALID_TOKEN),
      new Attack("lifetime too long", f -> f.sign(valid("alice")
          .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(48)))).build()), CloseReason.INVALID_TOKEN),
      new Attack("16 KiB token", f -> f.sign(valid("alice").claim("pad", "x".repeat(16 * 1024)).build()),
          CloseReason.INVALID_TOKEN));

  /** Every attack against every fixture, named "[RS256] alg none". */
  public static List<Arguments> matrix() {
    List<Arguments> out = new java.util.ArrayList<>();
    for (AttackFixture f : values()) {
      for (Attack a : ATTACKS) {
        out.add(Arguments.of(Named.of("[" + f + "] " + a.name(), a), f));
      }
    }
    return out;
  }
}
