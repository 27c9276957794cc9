package io.jobprogress.jakarta.ws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.websocket.core.server.Handshaker;

/**
 * A WebSocket upgrade request to the endpoint's path that shows its URI without the {@code token} query
 * parameter once the negotiator has taken the token ({@link #takeToken}). Jetty builds the URI it keeps for
 * the connection's lifetime ({@code CoreSession.getRequestURI()}) from this request after negotiating, so a
 * {@code ?token=} is neither kept per connection (a heap dump would hold live credentials) nor copied into
 * the heap several times (the URI's string, query and scheme-specific part). Until the token is taken, and
 * so for a request that is not upgraded after all, it shows the request unchanged.
 *
 * <p>One per upgrade request; used only by the thread handling it (Jetty negotiates and builds the
 * connection on that thread), so not thread-safe.
 */
final class QueryTokenRequest extends Request.Wrapper {
  private static final String TOKEN = "token";

  // null until takeToken(); owned by the thread handling the request
  private HttpURI withoutToken;

  private QueryTokenRequest(Request request) {
    super(request);
  }

  /**
   * {@code request} in a {@link QueryTokenRequest} when it is a WebSocket upgrade (as {@code handshaker}
   * sees it) to {@code path} with a query string; otherwise {@code request} itself, untouched.
   */
  static Request wrapUpgrade(Request request, PathSpec path, Handshaker handshaker) {
    if (request.getHttpURI().getQuery() == null || !path.matches(Request.getPathInContext(request))
        || !handshaker.isWebSocketUpgradeRequest(request)) {
      return request;
    }
    return new QueryTokenRequest(request);
  }

  /**
   * The first {@code token} query parameter of {@code request} (null when none); when {@code request} wraps
   * a {@link QueryTokenRequest}, its URI shows no {@code token} parameter from then on.
   */
  static String takeToken(Request request) {
    String token = Request.extractQueryParameters(request).getValue(TOKEN);
    QueryTokenRequest upgrade = Request.as(request, QueryTokenRequest.class);
    if (upgrade != null) {
      HttpURI uri = upgrade.getWrapped().getHttpURI();
      upgrade.withoutToken = HttpURI.build(uri).query(withoutToken(uri.getQuery())).asImmutable();
    }
    return token;
  }

  /** The URI, without its {@code token} parameters once {@link #takeToken} ran. */
  @Override
  public HttpURI getHttpURI() {
    HttpURI stripped = withoutToken;
    return stripped != null ? stripped : super.getHttpURI();
  }

  /** {@code query} without its {@code token} parameters (names compared decoded); null when nothing is left. */
  static String withoutToken(String query) {
    if (query == null) {
      return null;
    }
    StringJoiner kept = new StringJoiner("&");
    for (String parameter : query.split("&")) {
      if (!parameter.isEmpty() && !isToken(parameter)) {
        kept.add(parameter);
      }
    }
    return kept.length() == 0 ? null : kept.toString();
  }

  private static boolean isToken(String parameter) {
    int eq = parameter.indexOf('=');
    String name = eq < 0 ? parameter : parameter.substring(0, eq);
    try {
      return TOKEN.equals(URLDecoder.decode(name, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }
}
