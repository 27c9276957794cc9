package io.jobprogress.examples.demo;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The demo's HTTP API through java.net.http, for tests: each call returns status and JSON body. */
final class Api {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;

  /** A response: status and body (parsed when it is JSON). */
  record Response(int status, String body) {
    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }

    String get(String field) {
      return json().get(field).getAsString();
    }
  }

  Api(URI base) {
    this.base = base;
  }

  Response post(String path, String body, String token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  Response get(String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  private static Response send(HttpRequest req) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  /** Registers {@code email} (201 expected) and returns the access token. */
  String register(String email) throws IOException, InterruptedException {
    Response r = post("/api/auth/register", credentials(email, "password123"), null);
    if (r.status() != 201) {
      throw new AssertionError("register " + email + ": " + r);
    }
    return r.get("accessToken");
  }

  /** Starts a job (202 expected) and returns its id. */
  String generate(String token, String prompt) throws IOException, InterruptedException {
    JsonObject body = new JsonObject();
    body.addProperty("prompt", prompt);
    Response r = post("/api/generate-from-prompt", body.toString(), token);
    if (r.status() != 202) {
      throw new AssertionError("generate: " + r);
    }
    return r.get("jobId");
  }

  static String credentials(String email, String password) {
    JsonObject o = new JsonObject();
    o.addProperty("email", email);
    o.addProperty("password", password);
    return o.toString();
  }
}
