package io.jobprogress.core.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;

/**
 * Keys and tokens for the security tests: every algorithm the verifier supports, and hostile tokens.
 * Public so the transport modules' container tests can reuse it through the core test-jar. Thread-safe.
 */
public final class TokenMint {
  public static final KeyPair RSA = generate("RSA", 2048);
  public static final KeyPair OTHER_RSA = generate("RSA", 2048);
  public static final KeyPair EC = generateEc();
  public static final KeyPair ED25519 = generate("Ed25519", 0);

  private TokenMint() {}

  private static KeyPair generate(String alg, int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
      if (bits > 0) {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generateEc() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Claims for {@code sub} expiring in {@code ttl}. */
  public static JWTClaimsSet.Builder claims(String sub, Duration ttl) {
    return new JWTClaimsSet.Builder().subject(sub).issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plus(ttl)));
  }

  /** The SubjectPublicKeyInfo PEM of a key. */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  public static String hs256(byte[] secret, JWTClaimsSet claims) {
    try {
      return sign(new MACSigner(secret), JWSAlgorithm.HS256, null, claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String rsa(KeyPair pair, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
    return sign(new RSASSASigner(pair.getPrivate()), alg, kid, claims);
  }

  public static String es256(JWTClaimsSet claims) {
    try {
      return sign(new ECDSASigner((ECPrivateKey) EC.getPrivate()), JWSAlgorithm.ES256, null, claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An EdDSA token signed with the JDK (nimbus's own Ed25519 signer needs Tink). */
  public static String ed25519(KeyPair pair, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
    JWSHeader header = new JWSHeader.Builder(alg).keyID(kid).build();
    String input = header.toBase64URL() + "." + Base64URL.encode(claims.toString());
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(pair.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64URL.encode(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsecured JWT ({@code alg: none}, empty signature). */
  public static String none(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  /** {@code token} with its payload replaced by {@code claims}, keeping the original signature. */
  public static String withPayload(String token, JWTClaimsSet claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + Base64URL.encode(claims.toString()) + "." + parts[2];
  }

  /**
   * A token from raw JSON (a header with any {@code crit}, a payload with {@code "exp": null} or a string
   * date: what a builder would not write), signed with HS256 and {@code secret}.
   */
  public static String hs256Raw(byte[] secret, String headerJson, String payloadJson) {
    try {
      return signRaw(new MACSigner(secret), headerJson, payloadJson);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Like {@link #hs256Raw}, signed with RSA ({@code alg} as the header says) and {@code pair}. */
  public static String rsaRaw(KeyPair pair, String headerJson, String payloadJson) {
    return signRaw(new RSASSASigner(pair.getPrivate()), headerJson, payloadJson);
  }

  private static String signRaw(JWSSigner signer, String headerJson, String payloadJson) {
    String input = Base64URL.encode(headerJson) + "." + Base64URL.encode(payloadJson);
    try {
      // the signers read only alg from the header: a crit they do not know is signed over as is
      JWSHeader alg = new JWSHeader(JWSHeader.parse(headerJson).getAlgorithm());
      return input + "." + signer.sign(alg, input.getBytes(StandardCharsets.US_ASCII));
    } catch (JOSEException | java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The raw 32 bytes of an Ed25519 public key (the JWK's {@code x}). */
  public static byte[] rawEd25519(PublicKey key) {
    byte[] der = key.getEncoded();
    return Arrays.copyOfRange(der, der.length - 32, der.length);
  }

  private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
