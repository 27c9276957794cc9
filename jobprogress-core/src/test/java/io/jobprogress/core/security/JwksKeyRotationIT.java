package io.jobprogress.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import io.jobprogress.core.TokenRejectedException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JWKS served by a JDK HTTP server on 127.0.0.1, counting requests: the key set is cached, a rotated-in
 * {@code kid} costs exactly one refresh, a flood of unknown {@code kid}s does not reach the server.
 */
class JwksKeyRotationIT {
  private static final JWTClaimsSet ALICE = TokenMint.claims("alice", Duration.ofHours(1)).build();

  private final AtomicReference<JWKSet> served = new AtomicReference<>();
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;
  private URL url;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/jwks.json", exchange -> {
      requests.incrementAndGet();
      byte[] body = served.get().toString().getBytes(StandardCharsets.UTF_8); // public keys only
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json").toURL();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static JWK rsa(KeyPair pair, String kid) {
    return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).build();
  }

  private JwtTokenVerifier verifier() {
    // A refresh interval far longer than the test: the rate limit, not the clock, decides.
    return JwtTokenVerifier.jwks(url).algorithms(JWSAlgorithm.RS256, JWSAlgorithm.EdDSA)
        .jwksCacheTtl(Duration.ofHours(2)).jwksRefreshMinInterval(Duration.ofHours(1)).build();
  }

  @Test
  void rotatedInKeyIdCostsExactlyOneRefreshAndCachedKeysCostNone() throws Exception {
    served.set(new JWKSet(rsa(TokenMint.RSA, "k1")));
    JwtTokenVerifier v = verifier();
    assertEquals("alice", v.verify(TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.RS256, "k1", ALICE)).userId());
    assertEquals("alice", v.verify(TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.RS256, "k1", ALICE)).userId());
    assertEquals(1, requests.get(), "the key set is fetched once, then cached");

    served.set(new JWKSet(List.of(rsa(TokenMint.RSA, "k1"), rsa(TokenMint.OTHER_RSA, "k2"))));
    assertEquals("alice", v.verify(TokenMint.rsa(TokenMint.OTHER_RSA, JWSAlgorithm.RS256, "k2", ALICE)).userId());
    assertEquals(2, requests.get(), "an unknown kid triggers exactly one refresh");
    assertEquals("alice", v.verify(TokenMint.rsa(TokenMint.OTHER_RSA, JWSAlgorithm.RS256, "k2", ALICE)).userId());
    assertEquals(2, requests.get());
  }

  @Test
  void floodOfUnknownKeyIdsIsRefusedWithoutHammeringTheServerAndKnownKeysStillWork() throws Exception {
    OctetKeyPair ed = new OctetKeyPair.Builder(Curve.Ed25519,
        Base64URL.encode(TokenMint.rawEd25519(TokenMint.ED25519.getPublic()))).keyID("ed1").build();
    served.set(new JWKSet(List.of(rsa(TokenMint.RSA, "k1"), ed)));
    JwtTokenVerifier v = verifier();
    for (int i = 0; i < 200; i++) {
      String forged = TokenMint.rsa(TokenMint.OTHER_RSA, JWSAlgorithm.RS256, "unknown-" + i, ALICE);
      TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> v.verify(forged));
      assertEquals(CloseReason.INVALID_TOKEN, e.reason(), e.getMessage());
    }
    assertEquals(2, requests.get(), "first fetch plus one refresh per interval, not one per unknown kid");
    assertEquals("alice", v.verify(TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.RS256, "k1", ALICE)).userId());
    assertEquals("alice", v.verify(TokenMint.ed25519(TokenMint.ED25519, JWSAlgorithm.EdDSA, "ed1", ALICE)).userId());
    assertEquals(2, requests.get());
  }

  @Test
  void unreachableJwksMeansTryLaterNotInvalidToken() throws Exception {
    served.set(new JWKSet(rsa(TokenMint.RSA, "k1")));
    JwtTokenVerifier v = verifier();
    server.stop(0);
    TokenRejectedException e = assertThrows(TokenRejectedException.class,
        () -> v.verify(TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.RS256, "k1", ALICE)));
    assertEquals(CloseReason.TRY_LATER, e.reason(), e.getMessage());
  }
}
