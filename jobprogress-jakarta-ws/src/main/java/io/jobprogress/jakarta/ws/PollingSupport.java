package io.jobprogress.jakarta.ws;

import io.jobprogress.core.JobProgressHub;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

/** Shared bits of the servlet helpers. */
final class PollingSupport {
  private PollingSupport() {}

  static JobProgressHub hubOf(JobProgressHub given, ServletContext ctx) throws ServletException {
    if (given != null) {
      return given;
    }
    Object hub = ctx.getAttribute(ServletDeployment.HUB_ATTRIBUTE);
    if (hub instanceof JobProgressHub h) {
      return h;
    }
    throw new ServletException("jobprogress: no hub in the servlet context attribute "
        + ServletDeployment.HUB_ATTRIBUTE + "; deploy with ServletDeployment first or pass the hub");
  }
}
