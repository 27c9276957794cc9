package io.jobprogress.examples.demo;

import com.google.gson.JsonObject;
import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.examples.demo.UserStore.User;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/auth/register} (201, 409 e-mail taken, 400 invalid body) and {@code POST /api/auth/login}
 * (200, 401 bad credentials, 400 invalid body); both answer {@code {"accessToken","user":{"id","email"}}}.
 * {@code GET /api/auth/me} + Bearer answers 200 {@code {"id"}} while the token is valid, else 401 (the page
 * checks a remembered token with it).
 * Passwords are hashed with {@link Passwords} and never logged. Thread-safe.
 */
final class AuthServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(AuthServlet.class);
  /** Hashed once so that a login for an unknown e-mail costs as much as one with a wrong password. */
  private static final String DUMMY_HASH = Passwords.hash("not-a-real-password");

  private final transient UserStore users;
  private final transient TokenIssuer tokens;

  private final transient JobProgressHub hub;

  AuthServlet(UserStore users, TokenIssuer tokens, JobProgressHub hub) {
    this.users = users;
    this.tokens = tokens;
    this.hub = hub;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!"/me".equals(req.getPathInfo())) {
      Http.error(resp, 404, "not found");
      return;
    }
    AuthenticatedUser user = Http.bearerUser(req, hub);
    if (user == null) {
      Http.unauthorized(resp);
      return;
    }
    JsonObject o = new JsonObject();
    o.addProperty("id", user.userId());
    Http.json(resp, 200, o);
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String action = req.getPathInfo() == null ? "" : req.getPathInfo();
    if (!action.equals("/register") && !action.equals("/login")) {
      Http.error(resp, 404, "not found");
      return;
    }
    String email;
    String password;
    try {
      JsonObject body = Http.readObject(req);
      email = normaliseEmail(Http.requireString(body, "email"));
      password = Http.requireString(body, "password");
      if (password.length() < 8 || password.length() > 1024) {
        throw new Http.BadRequest("\"password\" must be 8..1024 characters");
      }
    } catch (Http.BadRequest e) {
      Http.error(resp, 400, e.getMessage());
      return;
    }
    if (action.equals("/register")) {
      register(resp, email, password);
    } else {
      login(resp, email, password);
    }
  }

  private void register(HttpServletResponse resp, String email, String password) throws IOException {
    User user = new User("u-" + UUID.randomUUID(), email, Passwords.hash(password));
    if (!users.create(user)) {
      Http.error(resp, 409, "email already registered");
      return;
    }
    log.info("Registered user {}", user.id());
    Http.json(resp, 201, answer(user));
  }

  private void login(HttpServletResponse resp, String email, String password) throws IOException {
    Optional<User> user = users.findByEmail(email);
    boolean ok = Passwords.matches(password, user.map(User::passwordHash).orElse(DUMMY_HASH));
    if (user.isEmpty() || !ok) {
      Http.error(resp, 401, "invalid email or password");
      return;
    }
    log.info("User {} logged in", user.get().id());
    Http.json(resp, 200, answer(user.get()));
  }

  private JsonObject answer(User user) {
    JsonObject u = new JsonObject();
    u.addProperty("id", user.id());
    u.addProperty("email", user.email());
    JsonObject o = new JsonObject();
    o.addProperty("accessToken", tokens.issue(user.id()));
    o.addProperty("tokenType", "Bearer");
    o.addProperty("expiresIn", TokenIssuer.TTL.toSeconds());
    o.add("user", u);
    return o;
  }

  private static String normaliseEmail(String raw) throws Http.BadRequest {
    String e = raw.trim().toLowerCase(Locale.ROOT);
    int at = e.indexOf('@');
    if (e.length() < 3 || e.length() > 254 || at <= 0 || at == e.length() - 1 || e.indexOf('@', at + 1) >= 0
        || e.chars().anyMatch(Character::isWhitespace)) {
      throw new Http.BadRequest("\"email\" must be an e-mail address");
    }
    return e;
  }
}
