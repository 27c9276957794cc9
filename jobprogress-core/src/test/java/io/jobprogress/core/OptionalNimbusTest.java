package io.jobprogress.core;

import io.jobprogress.core.jwt.JwtTokenVerifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * nimbus-jose-jwt is an optional dependency of jobprogress-core: a host with its own {@link TokenVerifier}
 * runs without it, and {@link JwtTokenVerifier} says which artifact is missing instead of failing with a
 * {@link NoClassDefFoundError}. Each scenario runs in a {@link HidingClassLoader} that hides nimbus.
 */
class OptionalNimbusTest {
  private static final String NIMBUS = "com.nimbusds.";

  @Test
  void aHubWithItsOwnTokenVerifierDeliversProgressWithoutNimbus() throws Exception {
    assertEquals("no nimbus; alice got job-1 at 45", HidingClassLoader.run(OwnVerifierHub.class, NIMBUS));
  }

  @Test
  void everyJwtTokenVerifierFactoryNamesTheMissingArtifactAndTheHubStillWorks() throws Exception {
    String out = HidingClassLoader.run(JwtWithoutNimbus.class, NIMBUS);
    String expected = "jobprogress-core: JwtTokenVerifier needs com.nimbusds:nimbus-jose-jwt on the class path"
        + " (an optional dependency of jobprogress-core); add it to the application, or give the hub your own"
        + " TokenVerifier";
    assertEquals(String.join("\n", expected, expected, expected, expected, "alice got job-1 at 45"), out);
  }

  @Test
  void withNimbusPresentTheSameLoaderBuildsAJwtVerifier() throws Exception {
    // the control: the isolating loader alone does not break JwtTokenVerifier, so the failure above is nimbus's absence
    assertEquals("verified alice", HidingClassLoader.run(JwtWithNimbus.class));
  }

  @Test
  void theLoaderReallyHidesNimbus() {
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName("com.nimbusds.jwt.JWTParser", false, new HidingClassLoader(getClass().getClassLoader(), NIMBUS)));
  }

  /** A hub with a host-made verifier: connect, subscribe, publish, receive. */
  static String ownVerifierRoundTrip() throws TokenRejectedException {
    JobProgressHub hub = JobProgressHub.builder().tokenVerifier(token -> new AuthenticatedUser(token, null)).build();
    try {
      hub.publishJobUpdate(ProgressEvent.queued("job-1", "alice"));
      RecordingConnection alice = new RecordingConnection("alice");
      HubSession s = hub.open(alice, hub.authenticate("alice"));
      alice.assertFrame("connected");
      s.onText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"job-1\"}}");
      alice.assertFrame("subscribed");
      alice.assertProgress("job-1", 0);
      hub.publishJobUpdate(ProgressEvent.of("job-1", "alice", JobStatus.PROCESSING, 45, "inference", ""));
      int progress = alice.assertProgress("job-1", 45).get("progress").getAsInt();
      return "alice got job-1 at " + progress;
    } finally {
      hub.close();
    }
  }

  public static final class OwnVerifierHub implements Callable<String> {
    @Override
    public String call() throws Exception {
      try {
        Class.forName("com.nimbusds.jwt.JWTParser");
        return "nimbus is visible";
      } catch (ClassNotFoundException expected) {
        return "no nimbus; " + ownVerifierRoundTrip();
      }
    }
  }

  public static final class JwtWithoutNimbus implements Callable<String> {
    @Override
    public String call() throws Exception {
      String secret = "0123456789abcdef0123456789abcdef";
      StringBuilder out = new StringBuilder();
      out.append(message(() -> JwtTokenVerifier.hmac(secret).build())).append('\n');
      out.append(message(() -> JwtTokenVerifier.fromEnvironment(Map.of("JWT_SECRET", secret)))).append('\n');
      out.append(message(() -> JwtTokenVerifier.publicKeyPem("-----BEGIN PUBLIC KEY-----"))).append('\n');
      out.append(message(() -> JwtTokenVerifier.jwks(new java.net.URL("http://127.0.0.1:1/jwks.json")))).append('\n');
      return out.append(ownVerifierRoundTrip()).toString();
    }

    private static String message(Callable<?> factory) {
      try {
        factory.call();
        return "built without nimbus";
      } catch (IllegalStateException e) {
        assertTrue(!e.getMessage().contains("0123456789abcdef"), "the message must not echo the secret");
        return e.getMessage();
      } catch (Exception | LinkageError e) {
        return "unexpected " + e;
      }
    }
  }

  public static final class JwtWithNimbus implements Callable<String> {
    @Override
    public String call() throws Exception {
      String secret = "0123456789abcdef0123456789abcdef";
      JwtTokenVerifier v = JwtTokenVerifier.hmac(secret).build();
      com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
          new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256),
          new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("alice")
              .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)).build());
      jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return "verified " + v.verify(jwt.serialize()).userId();
    }
  }
}
