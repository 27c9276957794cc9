package io.jobprogress.jakarta.ws.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.security.LogCapture;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Captures the server's whole log output (the library's loggers at TRACE, the container's at their
 * defaults; slf4j-simple writes to {@code System.err}, and java.util.logging, which Tomcat and Tyrus use,
 * is bridged into slf4j so their lines are captured too) during each test of a security IT, remembers every
 * token the test sends, and after the test fails it if any token, any long part of one, or any
 * {@code token=} query string appears in the output. Register with {@code @RegisterExtension}; one test at
 * a time (the capture swaps JVM-wide streams).
 */
public final class NoTokenInLogs implements BeforeEachCallback, AfterEachCallback {
  private final LogCapture capture = LogCapture.atTraceNamed(
      "io.jobprogress.core.JobProgressHub", "io.jobprogress.core.InMemoryBroadcaster",
      "io.jobprogress.jakarta.ws.HandshakeConfigurator", "io.jobprogress.jakarta.ws.JobProgressEndpoint",
      "io.jobprogress.jakarta.ws.JettyWebSocketHandler", "io.jobprogress.jakarta.ws.ConnectionRules",
      "io.jobprogress.jakarta.ws.JakartaWire",
      "io.jobprogress.jakarta.ws.SessionConnection", "io.jobprogress.jakarta.ws.Supervisor",
      "io.jobprogress.jakarta.ws.HandshakeAuthFilter", "io.jobprogress.jakarta.ws.HandshakeRateFilter");
  private final List<String> tokens = new CopyOnWriteArrayList<>();

  /** Remembers {@code token} as one that must not be logged, and returns it. */
  public String token(String token) {
    if (token != null) {
      tokens.add(token);
    }
    return token;
  }

  /** Asserts that the capture saw {@code line} (proves the library's lines reach it). */
  public void assertLogged(String line) {
    assertTrue(capture.text().contains(line), () -> "the log has no line with '" + line + "'");
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    tokens.clear();
    if (!SLF4JBridgeHandler.isInstalled()) {
      // JUL's console handler keeps the System.err it started with: route JUL through slf4j instead
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    capture.beforeEach(context);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      for (String t : tokens) {
        capture.assertNoTrace(t);
      }
      assertFalse(capture.text().contains("token="), "a query string with a token appears in the log");
    } finally {
      capture.afterEach(context);
    }
  }
}
