package io.jobprogress.core.jwt.internal;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.Set;

/**
 * nimbus's claims checks ({@code iss}, {@code aud}, required claims, {@code exp} and {@code nbf} against the
 * clock) plus the rules nimbus leaves out: {@code exp}, {@code nbf} and {@code iat} must be numbers when
 * present ({@code "exp": null} counts as present for nimbus's required-claim check, and would otherwise
 * make a token that never expires); {@code iat} must not be ahead of the clock by more than the skew; and
 * a token may not live longer than a maximum ({@code exp - iat}, or {@code exp - now} without {@code iat}).
 * Messages name the claim and the numbers, never the token. No compatibility promise (internal package).
 * Immutable after construction and thread-safe.
 */
public final class StrictClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
  private static final Set<String> TIME_CLAIMS = Set.of("exp", "nbf", "iat");
  private final long skewSeconds;
  private final long maxLifetimeSeconds;

  /**
   * @param audience required {@code aud} member, or null
   * @param exactMatch claims that must have exactly these values
   * @param required claims that must be present ({@code exp} among them)
   * @param clockSkew allowed clock difference
   * @param maxLifetime longest accepted token lifetime
   */
  public StrictClaimsVerifier(String audience, JWTClaimsSet exactMatch, Set<String> required, Duration clockSkew,
      Duration maxLifetime) {
    super(audience, exactMatch, required);
    this.skewSeconds = clockSkew.toSeconds();
    this.maxLifetimeSeconds = maxLifetime.toSeconds();
    setMaxClockSkew((int) skewSeconds);
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
    for (String name : TIME_CLAIMS) {
      if (claims.getClaims().containsKey(name) && date(claims, name) == null) {
        throw new BadJWTException(name + " must be a number (seconds since the epoch), was null");
      }
    }
    super.verify(claims, context); // required claims, exp (ExpiredJWTException), nbf, iss, aud
    long now = currentTime().getTime() / 1000;
    long exp = claims.getExpirationTime().getTime() / 1000;
    Date iatDate = claims.getIssueTime();
    if (iatDate != null) {
      long iat = iatDate.getTime() / 1000;
      if (iat > now + skewSeconds) {
        throw new BadJWTException("iat is " + (iat - now) + " s in the future, beyond the clock skew of "
            + skewSeconds + " s");
      }
      if (exp - iat > maxLifetimeSeconds) {
        throw new BadJWTException("token lifetime (exp - iat) is " + (exp - iat) + " s, over the maximum of "
            + maxLifetimeSeconds + " s");
      }
    } else if (exp - now > maxLifetimeSeconds + skewSeconds) {
      throw new BadJWTException("token lifetime (exp - now, no iat) is " + (exp - now) + " s, over the maximum of "
          + maxLifetimeSeconds + " s");
    }
  }

  private static Date date(JWTClaimsSet claims, String name) throws BadJWTException {
    try {
      return claims.getDateClaim(name);
    } catch (ParseException e) {
      throw new BadJWTException(name + " must be a number (seconds since the epoch)");
    }
  }
}
