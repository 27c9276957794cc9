package io.jobprogress.examples.demo;

import java.util.Map;

/**
 * {@code java -jar jobprogress-demo.jar}: starts the demo from the environment, prints the URL to open
 * and stops cleanly on SIGTERM or Ctrl-C (clients get close 1012 {@code restart}). A bad setting prints one
 * line naming it and exits with status 2.
 */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    DemoServer demo;
    try {
      demo = DemoServer.start(DemoConfig.fromEnvironment(env), env);
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
    System.out.println("jobprogress demo listening on " + demo.url());
  }
}
