package io.jobprogress.jakarta.ws.security;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jobprogress.core.TestTokens;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The log check of the security ITs catches what it must: a token written by a container through
 * java.util.logging (as Tomcat and Tyrus log) or by the library through slf4j, and a query string.
 */
class NoTokenInLogsTest {

  @Test
  void aTokenLoggedThroughJavaUtilLoggingFailsTheCheck() throws Exception {
    NoTokenInLogs logs = new NoTokenInLogs();
    logs.beforeEach(null);
    String token = logs.token(TestTokens.token("alice"));
    Logger.getLogger("org.apache.catalina.FakeValve").info("GET /ws?access=" + token);
    logs.assertLogged("org.apache.catalina.FakeValve");
    assertThrows(AssertionError.class, () -> logs.afterEach(null));
  }

  @Test
  void aQueryStringLoggedAtDebugBySlf4jFailsTheCheck() throws Exception {
    NoTokenInLogs logs = new NoTokenInLogs();
    logs.beforeEach(null);
    LoggerFactory.getLogger("io.jobprogress.jakarta.ws.HandshakeConfigurator").debug("GET /ws?token=x");
    assertThrows(AssertionError.class, () -> logs.afterEach(null));
  }

  @Test
  void aCleanLogPassesTheCheck() throws Exception {
    NoTokenInLogs logs = new NoTokenInLogs();
    logs.beforeEach(null);
    logs.token(TestTokens.token("alice"));
    Logger.getLogger("org.apache.catalina.FakeValve").info("Connection refused: token expired");
    logs.afterEach(null);
  }
}
