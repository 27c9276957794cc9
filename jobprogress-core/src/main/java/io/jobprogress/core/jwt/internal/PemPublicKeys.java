package io.jobprogress.core.jwt.internal;

import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Reads a PEM public key ({@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo) or the key of a PEM
 * certificate ({@code -----BEGIN CERTIFICATE-----}) with the JDK alone: RSA, EC and Ed25519. No
 * compatibility promise (internal package). Stateless and thread-safe.
 */
public final class PemPublicKeys {
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519");
  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32-byte key follows. */
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  private PemPublicKeys() {}

  /**
   * Parses PEM text.
   *
   * @throws IllegalArgumentException when the text holds no PEM public key or certificate this JDK reads
   */
  public static PublicKey parse(String pem) {
    String text = pem.strip();
    if (text.startsWith("-----BEGIN CERTIFICATE-----")) {
      try {
        return CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
            .getPublicKey();
      } catch (CertificateException e) {
        throw new IllegalArgumentException("not a readable PEM certificate", e);
      }
    }
    if (!text.startsWith("-----BEGIN PUBLIC KEY-----") || !text.contains("-----END PUBLIC KEY-----")) {
      throw new IllegalArgumentException(
          "expected a PEM block '-----BEGIN PUBLIC KEY-----' (SubjectPublicKeyInfo) or '-----BEGIN CERTIFICATE-----'");
    }
    String body = text.substring("-----BEGIN PUBLIC KEY-----".length(), text.indexOf("-----END PUBLIC KEY-----"))
        .replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM body is not valid base64");
    }
    for (String alg : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
        // try the next key type
      }
    }
    throw new IllegalArgumentException("the PEM key is not an RSA, EC or Ed25519 public key");
  }

  /** An Ed25519 public key from its 32 raw bytes (a JWK's {@code x}). */
  public static PublicKey ed25519(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, was " + raw.length);
    }
    byte[] der = new byte[ED25519_SPKI_PREFIX.length + 32];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, 32);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }
}
