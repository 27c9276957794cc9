package io.jobprogress.jakarta.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What is left of an upgrade's query once its token was taken: every parameter but {@code token}. */
class QueryTokenRequestTest {

  @Test
  void aQueryOfOnlyTheTokenBecomesNoQuery() {
    assertNull(QueryTokenRequest.withoutToken("token=a.b.c"));
    assertNull(QueryTokenRequest.withoutToken("token=a&&token=b&"));
    assertNull(QueryTokenRequest.withoutToken(null));
  }

  @Test
  void otherParametersStayAsSentInTheirOrder() {
    assertEquals("v=2&x=%20y", QueryTokenRequest.withoutToken("v=2&token=a.b.c&x=%20y"));
    assertEquals("tokens=1&tok=2&x", QueryTokenRequest.withoutToken("tokens=1&tok=2&x&token"));
  }

  @Test
  void anEncodedTokenNameIsATokenToo() {
    assertNull(QueryTokenRequest.withoutToken("tok%65n=a.b.c"));
    assertEquals("bad%zz=1", QueryTokenRequest.withoutToken("bad%zz=1&token=a"));
  }
}
