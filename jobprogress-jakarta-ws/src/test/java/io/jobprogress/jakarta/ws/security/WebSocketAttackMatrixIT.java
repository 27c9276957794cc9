package io.jobprogress.jakarta.ws.security;

import static io.jobprogress.jakarta.ws.security.Refusals.assertGoodTokenConnects;
import static io.jobprogress.jakarta.ws.security.Refusals.assertRefused;
import static io.jobprogress.jakarta.ws.security.Refusals.assertRegistryEmpty;

import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.security.AttackFixture;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.HubServer;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The token attack matrix of the core ({@link AttackFixture}: no token, empty, garbage, {@code alg: none}, wrong
 * secret, HS/RS key confusion, expired, no {@code exp}, {@code nbf} ahead, wrong {@code iss}/{@code aud}, no
 * subject, altered payload, truncated signature, {@code "exp": null}, {@code exp} as a string, {@code iat} ahead,
 * unknown and empty {@code crit}, a lifetime over the maximum, 16 KiB: Jetty itself answers that one with HTTP
 * 414/431 as its URI and header limits are 8 KiB) over real WebSocket handshakes in Jetty, through its Jakarta
 * layer and its core, against a hub pinned to HS256 and one pinned to RS256: each is refused with no data frame and
 * leaves the registry empty; a good token connects right after. The server log never shows a token.
 */
@ParameterizedClass(name = "{0}", allowZeroInvocations = true)
@MethodSource("io.jobprogress.jakarta.ws.testing.Container#jettyBoth")
class WebSocketAttackMatrixIT {
  /** The servers of the container under test; owned by the test thread (class invocations run one at a time). */
  private static final Map<AttackFixture, HubServer> SERVERS = new EnumMap<>(AttackFixture.class);

  @RegisterExtension
  final NoTokenInLogs logs = new NoTokenInLogs();

  @Parameter
  Container container;

  /** One server per fixture in {@code container}, for all of that container's tests. */
  @BeforeParameterizedClassInvocation
  static void start(Container container) throws Exception {
    for (AttackFixture f : AttackFixture.values()) {
      SERVERS.put(f, HubServer.start(container, JobProgressHub.builder().tokenVerifier(f.verifier()).build()));
    }
  }

  @AfterParameterizedClassInvocation
  static void stop() throws Exception {
    for (HubServer s : SERVERS.values()) {
      s.close();
    }
    SERVERS.clear();
  }

  static List<Arguments> matrix() {
    return AttackFixture.matrix();
  }

  @ParameterizedTest(name = "{0} over ?token= is refused with no data frame")
  @MethodSource("matrix")
  void hostileTokenInTheQueryIsRefusedWithNoDataFrameAndAGoodTokenConnectsAfterwards(
      AttackFixture.Attack attack, AttackFixture fixture) {
    HubServer server = SERVERS.get(fixture);
    String token = logs.token(attack.token().apply(fixture));
    String outcome = assertRefused(server.wsUri(token), Map.of(), List.of(), attack.expected());
    assertRegistryEmpty(server.hub());
    assertGoodTokenConnects(server.wsUri(logs.token(fixture.sign(AttackFixture.valid("alice").build()))), "alice");
    if (!outcome.startsWith("HTTP")) {
      // the refusal went through the library, so its log line was captured and checked for the token
      logs.assertLogged("Connection refused");
    }
  }

  static Stream<Arguments> bearerCases() {
    return matrix().stream().filter(a -> {
      String name = a.get()[0].toString();
      return name.contains("garbage") || name.contains("alg none") || name.contains("key confusion")
          || name.contains("expired") || name.contains("payload altered") || name.contains("exp null")
          || name.contains("crit empty");
    });
  }

  @ParameterizedTest(name = "{0} as Authorization: Bearer is refused with no data frame")
  @MethodSource("bearerCases")
  void hostileBearerHeaderIsRefusedWithNoDataFrameAndAGoodTokenConnectsAfterwards(
      AttackFixture.Attack attack, AttackFixture fixture) {
    HubServer server = SERVERS.get(fixture);
    String token = logs.token(attack.token().apply(fixture));
    URI bare = server.wsUri(null);
    assertRefused(bare, Map.of("Authorization", "Bearer " + token), List.of(), attack.expected());
    assertRegistryEmpty(server.hub());
    assertGoodTokenConnects(server.wsUri(logs.token(fixture.sign(AttackFixture.valid("alice").build()))), "alice");
  }
}
