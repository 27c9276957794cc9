package io.jobprogress.core.security;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures everything logged during each test: the core test classpath binds slf4j-simple, which writes
 * to {@code System.err} (looked up on every line), so the extension tees {@code System.err} and
 * {@code System.out} into a buffer around the test and still forwards to the originals. The named
 * loggers are raised to TRACE for the test (slf4j-simple fixes a logger's level at creation, so this
 * sets its level field by reflection and restores it after), so debug lines are checked too.
 *
 * <p>Use with {@code @RegisterExtension}; one test at a time (it swaps JVM-wide streams).
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {
  private static final int TRACE = 0; // org.slf4j.spi.LocationAwareLogger.TRACE_INT

  private final List<String> loggerNames = new ArrayList<>();
  private final Map<Logger, Integer> savedLevels = new LinkedHashMap<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private PrintStream savedErr;
  private PrintStream savedOut;

  /** Captures the output, with the loggers of {@code classes} at TRACE. */
  public static LogCapture atTrace(Class<?>... classes) {
    LogCapture c = new LogCapture();
    for (Class<?> k : classes) {
      c.loggerNames.add(k.getName());
    }
    return c;
  }

  /** Captures the output, with the loggers named {@code names} (e.g. {@code "io.jobprogress"}) at TRACE. */
  public static LogCapture atTraceNamed(String... names) {
    LogCapture c = new LogCapture();
    c.loggerNames.addAll(List.of(names));
    return c;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    buffer.reset();
    for (String name : loggerNames) {
      Logger logger = LoggerFactory.getLogger(name);
      Field level = levelField(logger);
      savedLevels.put(logger, level.getInt(logger));
      level.setInt(logger, TRACE);
    }
    savedErr = System.err;
    savedOut = System.out;
    System.setErr(tee(savedErr));
    System.setOut(tee(savedOut));
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    System.setErr(savedErr);
    System.setOut(savedOut);
    for (Map.Entry<Logger, Integer> e : savedLevels.entrySet()) {
      levelField(e.getKey()).setInt(e.getKey(), e.getValue());
    }
    savedLevels.clear();
  }

  /** Everything captured so far in this test. */
  public String text() {
    synchronized (buffer) {
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * Asserts that neither {@code token} nor any of its dot-separated parts of 16 characters or more (a
   * signature, a payload) appears in the captured output.
   */
  public void assertNoTrace(String token) {
    if (token == null || token.isEmpty()) {
      return;
    }
    String log = text();
    assertFalse(log.contains(token), "a token appears in the log");
    for (String part : token.split("\\.")) {
      if (part.length() >= 16) {
        assertFalse(log.contains(part), () -> "part of a token appears in the log: " + part);
      }
    }
  }

  private PrintStream tee(PrintStream original) {
    OutputStream both = new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (buffer) {
          buffer.write(b);
        }
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (buffer) {
          buffer.write(b, off, len);
        }
        original.write(b, off, len);
      }

      @Override
      public void flush() {
        original.flush();
      }
    };
    return new PrintStream(both, true, StandardCharsets.UTF_8);
  }

  private static Field levelField(Logger logger) throws NoSuchFieldException {
    for (Class<?> k = logger.getClass(); k != null; k = k.getSuperclass()) {
      try {
        Field f = k.getDeclaredField("currentLogLevel");
        f.setAccessible(true);
        return f;
      } catch (NoSuchFieldException e) {
        // look further up
      }
    }
    throw new NoSuchFieldException("LogCapture needs slf4j-simple as the test binding, found "
        + logger.getClass().getName());
  }
}
