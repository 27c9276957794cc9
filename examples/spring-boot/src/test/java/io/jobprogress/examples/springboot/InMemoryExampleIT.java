package io.jobprogress.examples.springboot;

import java.util.Map;

/** The example on the in-memory broadcaster (no Redis configured). */
class InMemoryExampleIT extends ExampleAppContract {
  @Override
  Map<String, Object> backend() {
    return Map.of();
  }

  @Override
  String broadcasterType() {
    return "memory";
  }
}
