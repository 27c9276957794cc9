package io.jobprogress.jakarta.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one place tokens are read from requests: header first, then the subprotocol entry, then the query. */
class BearerTokensTest {

  @Test
  void authorizationHeaderWinsOverSubprotocolAndQuery() {
    assertEquals("h.h.h", BearerTokens.ofUpgrade(List.of("Basic x", "bearer  h.h.h "),
        List.of("jobprogress.v1, bearer.s.s.s"), "q.q.q"));
  }

  @Test
  void subprotocolEntryWinsOverQuery() {
    assertEquals("s.s.s", BearerTokens.ofUpgrade(List.of("Basic x"),
        List.of("jobprogress.v1", " Bearer.s.s.s , other"), "q.q.q"));
  }

  @Test
  void queryIsTheLastResortAndNothingIsNull() {
    assertEquals("q.q.q", BearerTokens.ofUpgrade(null, List.of("jobprogress.v1"), "q.q.q"));
    assertNull(BearerTokens.ofUpgrade(List.of(), null, null));
  }

  @Test
  void authorizationValueWithoutTheBearerSchemeIsNoToken() {
    assertNull(BearerTokens.ofAuthorization(null));
    assertNull(BearerTokens.ofAuthorization("Basic dXNlcjpwdw=="));
    assertNull(BearerTokens.ofAuthorization("Bearer"));
    assertEquals("", BearerTokens.ofAuthorization("Bearer   "));
    assertEquals("a.b.c", BearerTokens.ofAuthorization("BEARER a.b.c"));
  }

  @Test
  void onlyBearerEntriesAreSubprotocolTokens() {
    assertTrue(BearerTokens.isSubprotocolEntry("bearer.x"));
    assertFalse(BearerTokens.isSubprotocolEntry("jobprogress.v1"));
    assertNull(BearerTokens.ofSubprotocols(List.of("jobprogress.v1, chat")));
  }
}
