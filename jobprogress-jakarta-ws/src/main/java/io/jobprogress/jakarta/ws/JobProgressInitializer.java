package io.jobprogress.jakarta.ws;

import io.jobprogress.core.ConfigSource;
import io.jobprogress.core.JobProgressHub;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the endpoint in a WAR that only carries the library and its settings: the servlet container
 * finds this initializer in the jar (Servlet 3+ service discovery), and when a token key is set
 * ({@code JWT_SECRET}, {@code JWT_PUBLIC_KEY} or {@code JWT_JWKS_URL}; environment or context init
 * parameter) it registers a listener that builds one hub for the web
 * application at start-up, deploys it with {@link ServletDeployment#deploy}, and closes both when the
 * application stops. Does nothing without a token key or with {@code JP_AUTO_DEPLOY=false} (hosts
 * that wire the hub themselves).
 */
public final class JobProgressInitializer implements ServletContainerInitializer {
  private static final Logger log = LoggerFactory.getLogger(JobProgressInitializer.class);

  /** Called by the container at deployment. */
  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext ctx) {
    ConfigSource config = ConfigSource.of(ServletDeployment.config(ctx));
    if (!ServletDeployment.autoDeploy(config)) {
      return;
    }
    if (!ServletDeployment.hasTokenKey(config)) {
      log.debug("None of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL is set: the endpoint is not deployed automatically");
      return;
    }
    ctx.addListener(new Lifecycle());
  }

  /** Builds, deploys and closes the web application's hub. */
  static final class Lifecycle implements ServletContextListener {
    // written in contextInitialized, read in contextDestroyed: the container calls both on one thread
    // or orders them (servlet spec: destroyed after initialized)
    private JobProgressHub hub;

    @Override
    public void contextInitialized(ServletContextEvent event) {
      ServletContext ctx = event.getServletContext();
      hub = ServletDeployment.hubFromConfig(ServletDeployment.config(ctx), ctx.getClassLoader());
      ServletDeployment.deploy(ctx, hub);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
      // the hub owns shutdown: 1012 to every connection after its queued frames, then the endpoint's
      // threads (the endpoint registered itself with the hub), the broadcaster and the timers
      if (hub != null) {
        hub.close();
        log.info("jobprogress hub closed with the web application");
      }
    }
  }
}
