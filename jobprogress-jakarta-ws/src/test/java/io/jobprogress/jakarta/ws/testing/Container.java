package io.jobprogress.jakarta.ws.testing;

import io.jobprogress.jakarta.ws.JettyWebSocketHandler;
import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import io.undertow.Undertow;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.websockets.jsr.WebSocketDeploymentInfo;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import org.apache.catalina.Context;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.websocket.server.WsSci;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;

/**
 * The four Jakarta WebSocket containers the endpoint must run in unchanged, each bootstrapped the way the
 * research spike found to work (see docs/operations.md), plus Jetty 12's WebSocket core without the Jakarta
 * layer ({@link #JETTY_CORE}, {@link JettyWebSocketHandler}), on a loopback port. Each {@link #start}
 * deploys one {@link JobProgressWebSocket} at the root context and returns the running server.
 */
public enum Container {
  JETTY {
    @Override
    public Running start(JobProgressWebSocket ws) throws Exception {
      return jetty(ws.endpointConfig());
    }
  },
  TOMCAT {
    @Override
    public Running start(JobProgressWebSocket ws) throws Exception {
      return tomcat(ws.endpointConfig(), null);
    }
  },
  TYRUS {
    @Override
    public Running start(JobProgressWebSocket ws) throws Exception {
      ServerEndpointConfig config = ws.endpointConfig();
      // Tyrus reads port 0 as "8025", so take a free port first
      int port = freePort();
      TyrusApp.config = config;
      org.glassfish.tyrus.server.Server server =
          new org.glassfish.tyrus.server.Server("127.0.0.1", port, "/", Map.of(), TyrusApp.class);
      server.start();
      return new Running(port, server::stop);
    }
  },
  UNDERTOW {
    @Override
    public Running start(JobProgressWebSocket socket) throws Exception {
      ServerEndpointConfig config = socket.endpointConfig();
      org.xnio.XnioWorker worker = Xnio.getInstance().createWorker(OptionMap.create(Options.THREAD_DAEMON, true));
      WebSocketDeploymentInfo ws = new WebSocketDeploymentInfo().addEndpoint(config).setWorker(worker)
          .setBuffers(new DefaultByteBufferPool(true, 8192));
      DeploymentInfo di = Servlets.deployment().setClassLoader(Container.class.getClassLoader())
          .setContextPath("/").setDeploymentName("jobprogress")
          .addServletContextAttribute(WebSocketDeploymentInfo.ATTRIBUTE_NAME, ws);
      DeploymentManager manager = Servlets.defaultContainer().addDeployment(di);
      manager.deploy();
      Undertow undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(manager.start()).build();
      undertow.start();
      int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
      return new Running(port, () -> {
        undertow.stop();
        manager.stop();
        manager.undeploy();
        worker.shutdown();
      });
    }
  },
  /** Jetty 12 without the Jakarta layer: {@link JettyWebSocketHandler} as the server's handler. */
  JETTY_CORE {
    @Override
    public Running start(JobProgressWebSocket ws) throws Exception {
      Server server = new Server();
      ServerConnector connector = loopback(server);
      server.setHandler(JettyWebSocketHandler.of(ws));
      server.start();
      return new Running(connector.getLocalPort(), server::stop);
    }
  };

  /** The containers named in the system property {@code jp.containers} (comma-separated), default all. */
  public static java.util.stream.Stream<Container> selected() {
    String names = System.getProperty("jp.containers", "");
    if (names.isBlank()) {
      return java.util.Arrays.stream(values());
    }
    return java.util.Arrays.stream(names.split(",")).map(n -> valueOf(n.trim().toUpperCase(java.util.Locale.ROOT)));
  }

  /**
   * Jetty through its Jakarta layer and through its core ({@link #JETTY}, {@link #JETTY_CORE}), as far as
   * {@code jp.containers} selects them: for tests about the library's behaviour over a real wire, where the
   * other containers add nothing the contract IT does not already cover.
   */
  public static java.util.stream.Stream<Container> jettyBoth() {
    return selected().filter(c -> c == JETTY || c == JETTY_CORE);
  }

  /** Starts the container with {@code ws} deployed. */
  public abstract Running start(JobProgressWebSocket ws) throws Exception;

  /** Jetty 12 (ee10) with {@code config} deployed through its Jakarta layer. */
  public static Running jetty(ServerEndpointConfig config) throws Exception {
    Server server = new Server();
    ServerConnector connector = loopback(server);
    ServletContextHandler ctx = new ServletContextHandler("/");
    server.setHandler(ctx);
    JakartaWebSocketServletContainerInitializer.configure(ctx, (sc, container) -> container.addEndpoint(config));
    server.start();
    return new Running(connector.getLocalPort(), server::stop);
  }

  private static ServerConnector loopback(Server server) {
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    return connector;
  }

  /** A started container. */
  public record Running(int port, Stopper stopper) implements AutoCloseable {
    /** Stops the container. */
    @Override
    public void close() throws Exception {
      stopper.stop();
    }
  }

  /** How a container stops. */
  @FunctionalInterface
  public interface Stopper {
    /** Stops. */
    void stop() throws Exception;
  }

  /** Tomcat with {@code config} deployed and, when not null, {@code filter} mapped to every path ahead of the upgrade. */
  public static Running tomcat(ServerEndpointConfig config, jakarta.servlet.Filter filter) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context ctx = tomcat.addContext("", null);
    ctx.addServletContainerInitializer(new WsSci(), null);
    ctx.addServletContainerInitializer((classes, servletContext) -> {
      try {
        ((ServerContainer) servletContext.getAttribute(ServerContainer.class.getName())).addEndpoint(config);
      } catch (jakarta.websocket.DeploymentException e) {
        throw new jakarta.servlet.ServletException(e);
      }
    }, null);
    if (filter != null) {
      FilterDef def = new FilterDef();
      def.setFilterName("auth");
      def.setFilter(filter);
      ctx.addFilterDef(def);
      FilterMap map = new FilterMap();
      map.setFilterName("auth");
      map.addURLPattern("/*");
      ctx.addFilterMap(map);
    }
    // WsFilter only runs for mapped requests: without a servlet at "/" every upgrade is a 404
    Tomcat.addServlet(ctx, "default", new DefaultServlet());
    ctx.addServletMappingDecoded("/", "default");
    tomcat.start();
    return new Running(tomcat.getConnector().getLocalPort(), () -> {
      tomcat.stop();
      tomcat.destroy();
    });
  }

  /** A free loopback port (closed again before use; fine for tests). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Tyrus deploys classes, not configs: this application hands it the config of the current test. */
  public static final class TyrusApp implements ServerApplicationConfig {
    static volatile ServerEndpointConfig config;

    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> classes) {
      // Tomcat's WsSci also finds this class when the test-jar is on a class path it scans: deploy nothing then
      ServerEndpointConfig current = config;
      return current == null ? Set.of() : Set.of(current);
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
      return Set.of();
    }
  }
}
