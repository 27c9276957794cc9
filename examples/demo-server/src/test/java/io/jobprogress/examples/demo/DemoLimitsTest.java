package io.jobprogress.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's server limits: defaults, and a bad value named in the error. */
class DemoLimitsTest {

  @Test
  void defaultsGiveABacklogFor200SimultaneousConnectsAndABoundedThreadPool() {
    DemoLimits limits = DemoLimits.fromEnvironment(Map.of());
    assertEquals(1024, limits.acceptQueue());
    assertEquals(Math.max(12, 4 * Runtime.getRuntime().availableProcessors()), limits.maxThreads());
    assertEquals(limits.maxThreads(), DemoLimits.defaultMaxThreads());
    assertEquals(64, DemoLimits.fromEnvironment(Map.of("DEMO_MAX_THREADS", "64")).maxThreads());
  }

  @Test
  void aThreadPoolTooSmallForJettysOwnThreadsIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DemoLimits.fromEnvironment(Map.of("DEMO_MAX_THREADS", "2")));
    assertEquals("DEMO_MAX_THREADS must be >= 8, was 2", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> DemoLimits.fromEnvironment(Map.of("DEMO_MAX_THREADS", "many")));
    assertEquals("DEMO_MAX_THREADS must be a whole number, was \"many\"", e.getMessage());
    assertEquals(8, DemoLimits.fromEnvironment(Map.of("DEMO_MAX_THREADS", "8")).maxThreads());
  }
}
