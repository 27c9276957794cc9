package io.jobprogress.examples.demo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes an HTTP connection that has not delivered the headers of its first request (a WebSocket upgrade
 * included) within {@code timeoutMillis} of being opened. Jetty's idle timeout restarts with every byte, so
 * a client trickling one header line every few seconds would otherwise hold the connection for as long as
 * it likes. Install as the server's outermost handler and as a bean of the connector (it is a
 * {@link Connection.Listener}). Later requests on a kept-alive connection are bounded by the idle timeout
 * only. Thread-safe.
 */
final class HeaderDeadline extends Handler.Wrapper implements Connection.Listener {
  private final long timeoutMillis;
  private final Scheduler scheduler;
  // connections whose first request has not arrived, with their deadline task: cancelled (and forgotten) once
  // it arrives, so an upgraded connection's HTTP objects are not kept until the deadline would have passed
  private final Map<Connection, Scheduler.Task> waiting = new ConcurrentHashMap<>();

  HeaderDeadline(long timeoutMillis, Scheduler scheduler, Handler next) {
    super(next);
    this.timeoutMillis = timeoutMillis;
    this.scheduler = scheduler;
  }

  @Override
  public void onOpened(Connection connection) {
    // HTTP/1 connections only: the WebSocket connection that replaces one after the upgrade is not limited
    if (connection instanceof AbstractMetaDataConnection) {
      Scheduler.Task task = scheduler.schedule(() -> expire(connection), timeoutMillis, TimeUnit.MILLISECONDS);
      if (waiting.putIfAbsent(connection, task) != null) {
        task.cancel();
      }
    }
  }

  @Override
  public void onClosed(Connection connection) {
    cancel(connection);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    cancel(request.getConnectionMetaData().getConnection());
    return super.handle(request, response, callback);
  }

  private void cancel(Connection connection) {
    Scheduler.Task task = waiting.remove(connection);
    if (task != null) {
      task.cancel();
    }
  }

  private void expire(Connection connection) {
    if (waiting.remove(connection) != null) {
      connection.getEndPoint().close();
    }
  }
}
