package io.jobprogress.benchmarks;

import java.lang.reflect.Field;

/**
 * Prints the single-node publish script of {@code jobprogress-redis} (the Lua that {@code RedisPublisher}
 * runs for every event) to stdout. The load benchmark's {@code seedstore} system runs this exact text from
 * the seed-style worker, so the seed-style server can be measured behind the same Redis work as
 * jobprogress ({@code benchmarks/load/README.md}). Read by reflection: the script class is package-private
 * on purpose, and this is a benchmark, not an API.
 */
public final class PublishScriptText {
  private PublishScriptText() {}

  public static void main(String[] args) throws ReflectiveOperationException {
    Field lua = Class.forName("io.jobprogress.redis.PublishScript").getDeclaredField("LUA");
    lua.setAccessible(true);
    System.out.print((String) lua.get(null));
  }
}
