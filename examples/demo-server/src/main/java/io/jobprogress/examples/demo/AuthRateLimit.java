package io.jobprogress.examples.demo;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@code DEMO_AUTH_PER_MINUTE}: at most {@code perMinute} register + login requests per client address in
 * each one-minute window (fixed windows starting at an address's first request). Past it the answer is 429
 * with {@code Retry-After} (seconds until the window ends) and {@code {"error"}}, before any password is
 * hashed. The address is the connection's ({@code getRemoteAddr()}): behind a proxy, every client shares
 * the proxy's address unless the container is told to trust {@code X-Forwarded-For}. Windows of idle
 * addresses are dropped as the map grows. Thread-safe.
 */
final class AuthRateLimit extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final long WINDOW_NANOS = 60_000_000_000L;
  private static final int PRUNE_ABOVE = 10_000;

  private final int perMinute;
  private final transient LongSupplier clock;
  private final transient ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /** One address's current window. */
  private static final class Window {
    long start;
    int count;
  }

  AuthRateLimit(int perMinute) {
    this(perMinute, System::nanoTime);
  }

  AuthRateLimit(int perMinute, LongSupplier clock) {
    this.perMinute = perMinute;
    this.clock = clock;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    long retryAfter = "POST".equals(req.getMethod()) ? take(req.getRemoteAddr()) : 0;
    if (retryAfter > 0) {
      resp.setHeader("Retry-After", Long.toString(retryAfter));
      Http.error(resp, 429, "too many login or register requests from this address; retry after "
          + retryAfter + " s");
      return;
    }
    chain.doFilter(req, resp);
  }

  /** Counts one request of {@code address}; 0 when allowed, else the seconds until its window ends. */
  long take(String address) {
    long now = clock.getAsLong();
    if (windows.size() > PRUNE_ABOVE) {
      windows.values().removeIf(w -> expired(w, now));
    }
    Window w = windows.computeIfAbsent(address, a -> new Window());
    synchronized (w) {
      if (w.count == 0 || expired(w, now)) {
        w.start = now;
        w.count = 0;
      }
      if (w.count < perMinute) {
        w.count++;
        return 0;
      }
      long left = WINDOW_NANOS - (now - w.start);
      return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }
  }

  private static boolean expired(Window w, long now) {
    synchronized (w) {
      return now - w.start >= WINDOW_NANOS;
    }
  }
}
