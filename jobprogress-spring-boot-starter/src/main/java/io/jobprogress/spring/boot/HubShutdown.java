package io.jobprogress.spring.boot;

import io.jobprogress.core.JobProgressHub;
import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the hub (every connection with {@code 1012 restart}) and then the endpoint (which lets the queued
 * closes go out, up to 2 s) while the web server still runs: its phase, {@link #PHASE}, is above Spring
 * Boot's {@code WebServerGracefulShutdownLifecycle} ({@code DEFAULT_PHASE - 1024} on Boot 3.5 and 4.0) and
 * {@code WebServerStartStopLifecycle} ({@code DEFAULT_PHASE - 2048}), so it stops first. Without it the
 * server's shutdown drops the sockets and browsers see 1006 and reconnect on the fast schedule.
 *
 * <p>Started and stopped by the context's lifecycle processor; {@link #stop()} is idempotent.
 */
final class HubShutdown implements SmartLifecycle {
  /** Stops before the web server's graceful shutdown. */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private final JobProgressHub hub;
  private final JobProgressWebSocket socket;
  private volatile boolean running;

  HubShutdown(JobProgressHub hub, JobProgressWebSocket socket) {
    this.hub = hub;
    this.socket = socket;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    hub.close();
    if (socket != null) {
      socket.close();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
