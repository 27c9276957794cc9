package io.jobprogress.spring.boot;

import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.context.ServletContextAware;

/**
 * Adds the {@link JobProgressWebSocket} to the embedded container's Jakarta WebSocket
 * {@link ServerContainer} once every singleton exists (as Spring's {@code ServerEndpointExporter} does, but
 * for this one endpoint, so an application's own exporter is left alone). Does nothing when the endpoint
 * is disabled ({@code jobprogress.ws.enabled=false}). Called by the container on the start-up thread only.
 */
final class EndpointDeployer implements ServletContextAware, SmartInitializingSingleton {
  private static final Logger log = LoggerFactory.getLogger(EndpointDeployer.class);
  private static final String SERVER_CONTAINER = "jakarta.websocket.server.ServerContainer";

  private final JobProgressWebSocket socket;
  private ServletContext servletContext;

  EndpointDeployer(JobProgressWebSocket socket) {
    this.socket = socket;
  }

  @Override
  public void setServletContext(ServletContext servletContext) {
    this.servletContext = servletContext;
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (!socket.enabled()) {
      log.info("jobprogress WebSocket endpoint disabled (jobprogress.ws.enabled=false): polling only");
      return;
    }
    Object container = servletContext == null ? null : servletContext.getAttribute(SERVER_CONTAINER);
    if (!(container instanceof ServerContainer sc)) {
      throw new IllegalStateException("jobprogress: no " + SERVER_CONTAINER + " in the servlet context;"
          + " run on an embedded servlet container with WebSocket support (spring-boot-starter-websocket)");
    }
    try {
      socket.deploy(sc);
    } catch (DeploymentException e) {
      throw new IllegalStateException("jobprogress: could not deploy the endpoint at " + socket.path(), e);
    }
    log.info("jobprogress WebSocket endpoint deployed at {}{}", servletContext.getContextPath(), socket.path());
  }
}
