package io.jobprogress.core.jwt.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.security.interfaces.EdECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Chooses verification keys for a JWS only when its {@code alg} is one of a pinned set, from one fixed key
 * or from a JWK source (e.g. a cached, rate-limited JWKS URL: an unknown {@code kid} makes the source
 * refresh). Unlike nimbus's {@code JWSVerificationKeySelector} it also turns Ed25519 JWKs into JDK keys.
 * {@link #verifierFactory()} builds the matching verifiers, Ed25519 through {@link Ed25519JdkVerifier}.
 * No compatibility promise (internal package). Immutable and thread-safe.
 */
public final class PinnedKeySelector implements JWSKeySelector<SecurityContext> {
  private final Set<JWSAlgorithm> algorithms;
  private final List<Key> fixed;
  private final JWKSource<SecurityContext> source;

  private PinnedKeySelector(Set<JWSAlgorithm> algorithms, List<Key> fixed, JWKSource<SecurityContext> source) {
    this.algorithms = Set.copyOf(algorithms);
    this.fixed = fixed;
    this.source = source;
  }

  /** Selects {@code key} for tokens whose {@code alg} is in {@code algorithms}. */
  public static PinnedKeySelector fixed(Set<JWSAlgorithm> algorithms, Key key) {
    return new PinnedKeySelector(algorithms, List.of(key), null);
  }

  /** Selects the keys of {@code source} matching the token's header, if its {@code alg} is in {@code algorithms}. */
  public static PinnedKeySelector fromSource(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> source) {
    return new PinnedKeySelector(algorithms, null, source);
  }

  @Override
  public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
    if (!algorithms.contains(header.getAlgorithm())) {
      return List.of();
    }
    if (source == null) {
      return fixed;
    }
    List<JWK> jwks = source.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), context);
    List<Key> keys = new ArrayList<>(jwks.size());
    for (JWK jwk : jwks) {
      try {
        if (jwk instanceof OctetKeyPair okp) {
          if (Curve.Ed25519.equals(okp.getCurve())) {
            keys.add(PemPublicKeys.ed25519(okp.getDecodedX()));
          }
        } else if (jwk instanceof AsymmetricJWK asym) {
          keys.add(asym.toPublicKey());
        }
      } catch (JOSEException | IllegalArgumentException e) {
        // an unusable key in the set is skipped, like nimbus's KeyConverter does
      }
    }
    return keys;
  }

  /** Verifiers for the keys this selector returns: nimbus's defaults plus JDK Ed25519. */
  public static JWSVerifierFactory verifierFactory() {
    return new JWSVerifierFactory() {
      private final DefaultJWSVerifierFactory delegate = new DefaultJWSVerifierFactory();

      @Override
      public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        if (Ed25519JdkVerifier.ALGORITHMS.contains(header.getAlgorithm())) {
          if (!(key instanceof EdECPublicKey ed)) {
            throw new JOSEException("EdDSA needs an Ed25519 public key");
          }
          return new Ed25519JdkVerifier(ed);
        }
        return delegate.createJWSVerifier(header, key);
      }

      @Override
      public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return delegate.supportedJWSAlgorithms();
      }

      @Override
      public JCAContext getJCAContext() {
        return delegate.getJCAContext();
      }
    };
  }
}
