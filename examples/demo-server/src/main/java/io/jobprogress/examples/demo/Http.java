package io.jobprogress.examples.demo;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TokenRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Small JSON-over-HTTP helpers shared by the demo's servlets. Stateless and thread-safe. */
final class Http {
  /** Largest request body read. */
  static final int MAX_BODY = 16 * 1024;

  private Http() {}

  /** Thrown for a body that is not a JSON object; the servlet answers 400 with the message. */
  static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  /** Reads the body as a JSON object. */
  static JsonObject readObject(HttpServletRequest req) throws IOException, BadRequest {
    byte[] body;
    try (InputStream in = req.getInputStream()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      throw new BadRequest("body larger than " + MAX_BODY + " bytes");
    }
    JsonElement e;
    try {
      e = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
    } catch (JsonParseException ex) {
      throw new BadRequest("body is not valid JSON");
    }
    if (!e.isJsonObject()) {
      throw new BadRequest("body must be a JSON object");
    }
    return e.getAsJsonObject();
  }

  /** A string member, or a BadRequest naming it. */
  static String requireString(JsonObject o, String name) throws BadRequest {
    JsonElement e = o.get(name);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new BadRequest("\"" + name + "\" must be a string");
    }
    return e.getAsString();
  }

  /** The user of the request's {@code Authorization: Bearer} token, or null (token missing or rejected). */
  static AuthenticatedUser bearerUser(HttpServletRequest req, JobProgressHub hub) {
    String h = req.getHeader("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    try {
      return hub.authenticate(h.substring(7).trim());
    } catch (TokenRejectedException e) {
      return null;
    }
  }

  static void json(HttpServletResponse resp, int status, String json) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.setHeader("Cache-Control", "no-store");
    resp.getWriter().write(json);
  }

  static void json(HttpServletResponse resp, int status, JsonObject json) throws IOException {
    json(resp, status, json.toString());
  }

  static void error(HttpServletResponse resp, int status, String message) throws IOException {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    json(resp, status, o);
  }

  static void unauthorized(HttpServletResponse resp) throws IOException {
    resp.setHeader("WWW-Authenticate", "Bearer");
    error(resp, 401, "a valid Bearer token is required");
  }

}
