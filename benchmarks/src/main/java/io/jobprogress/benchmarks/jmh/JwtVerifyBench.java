package io.jobprogress.benchmarks.jmh;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.TokenRejectedException;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link JwtTokenVerifier#verify} of a valid token as the handshake verifies it: parse, pinned algorithm
 * and key, signature, then the strict claim checks ({@code sub}, {@code iat}, {@code exp} one hour ahead).
 * HS256 with a 32-byte random secret, ES256 on P-256, RS256 with a 2048-bit key. Keys and the token are
 * made once per trial; the verifier caches nothing per token, so every operation does the whole work.
 *
 * <p>The verifier is thread-safe; the state is read-only after setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class JwtVerifyBench {

  /** The token's signature algorithm. */
  @Param({"HS256", "ES256", "RS256"})
  public String alg;

  private JwtTokenVerifier verifier;
  private String token;

  @Setup(Level.Trial)
  public void sign() throws GeneralSecurityException, JOSEException, TokenRejectedException {
    JWSSigner signer;
    switch (alg) {
      case "HS256" -> {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getEncoder().encodeToString(random);
        verifier = JwtTokenVerifier.hmac(secret).build();
        signer = new MACSigner(secret);
      }
      case "ES256" -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        verifier = JwtTokenVerifier.publicKey(pair.getPublic()).build();
        signer = new ECDSASigner((ECPrivateKey) pair.getPrivate());
      }
      case "RS256" -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        verifier = JwtTokenVerifier.publicKey(pair.getPublic()).build();
        signer = new RSASSASigner(pair.getPrivate());
      }
      default -> throw new IllegalArgumentException("alg must be HS256, ES256 or RS256, was " + alg);
    }
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(Samples.userId(42)).issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1)))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.parse(alg)), claims);
    jwt.sign(signer);
    token = jwt.serialize();
    verifier.verify(token); // throws if the setup is wrong, before anything is measured
  }

  /** One verification of a valid token. */
  @Benchmark
  public AuthenticatedUser verify() throws TokenRejectedException {
    return verifier.verify(token);
  }
}
