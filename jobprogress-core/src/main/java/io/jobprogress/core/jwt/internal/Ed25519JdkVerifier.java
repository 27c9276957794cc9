package io.jobprogress.core.jwt.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.util.Set;

/**
 * Verifies EdDSA (Ed25519) JWS signatures with the JDK's own Ed25519 ({@code java.security.Signature},
 * JDK 15+), so EdDSA needs no Google Tink (nimbus's {@code Ed25519Verifier} does). Refuses any header
 * with {@code crit} parameters, as nimbus's verifiers do for parameters they do not understand. No
 * compatibility promise (internal package). Immutable and thread-safe; CPU only.
 */
public final class Ed25519JdkVerifier implements JWSVerifier {
  /** The algorithm names that mean Ed25519: {@code EdDSA} (RFC 8037) and {@code Ed25519} (fully specified). */
  public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

  private final EdECPublicKey key;
  private final JCAContext jca = new JCAContext();

  /**
   * @throws IllegalArgumentException when the key is not on curve Ed25519 (Ed448 is not supported)
   */
  public Ed25519JdkVerifier(EdECPublicKey key) {
    if (!"Ed25519".equalsIgnoreCase(key.getParams().getName())) {
      throw new IllegalArgumentException("EdDSA keys must be Ed25519, was " + key.getParams().getName());
    }
    this.key = key;
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      throw new JOSEException("Ed25519 verifier: unsupported algorithm " + header.getAlgorithm());
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      return false;
    }
    try {
      Signature sig = Signature.getInstance("Ed25519");
      sig.initVerify(key);
      sig.update(signingInput);
      return sig.verify(signature.decode());
    } catch (java.security.SignatureException e) {
      return false; // malformed signature bytes: simply not valid
    } catch (GeneralSecurityException e) {
      throw new JOSEException("Ed25519 verifier: " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return ALGORITHMS;
  }

  @Override
  public JCAContext getJCAContext() {
    return jca;
  }
}
