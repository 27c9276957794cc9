package io.jobprogress.jakarta.ws;

import io.jobprogress.core.JobProgressHub;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;

/**
 * Base of the servlet helpers: holds the hub given to the constructor, or finds the one a
 * {@link ServletDeployment} stored in the servlet context at {@link #init()}.
 */
abstract class HubServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private transient JobProgressHub hub;

  HubServlet(JobProgressHub hub) {
    this.hub = hub;
  }

  @Override
  public void init() throws ServletException {
    if (hub != null) {
      return;
    }
    Object found = getServletContext().getAttribute(ServletDeployment.HUB_ATTRIBUTE);
    if (!(found instanceof JobProgressHub h)) {
      throw new ServletException("jobprogress: no hub in the servlet context attribute "
          + ServletDeployment.HUB_ATTRIBUTE + "; deploy with ServletDeployment first or pass the hub");
    }
    hub = h;
  }

  final JobProgressHub hub() {
    return hub;
  }
}
