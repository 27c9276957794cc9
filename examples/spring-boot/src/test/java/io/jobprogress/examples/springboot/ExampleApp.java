package io.jobprogress.examples.springboot;

import io.jobprogress.core.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example application started for real (embedded Tomcat on a free port) with the test's properties;
 * uses only API that Spring Boot 3.5 and 4.0 share, so the same test runs on both lines. Not thread-safe.
 */
final class ExampleApp implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  final ConfigurableApplicationContext context;
  final int port;

  private ExampleApp(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  /** Starts the application with the test secret and {@code properties}, under {@code profiles}. */
  static ExampleApp start(Map<String, Object> properties, String... profiles) {
    Map<String, Object> props = new HashMap<>();
    props.put("server.port", "0");
    props.put("spring.main.banner-mode", "off");
    props.put("logging.level.io.jobprogress", "DEBUG");
    props.put("jobprogress.jwt.secret", TestTokens.SECRET);
    props.putAll(properties);
    String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    return new ExampleApp(new SpringApplicationBuilder(ExampleApplication.class).profiles(profiles).run(args));
  }

  URI ws(String path, String token) {
    return URI.create("ws://127.0.0.1:" + port + path + "?token=" + token);
  }

  /** {@code POST /api/demo/jobs} with {@code token}. */
  HttpResponse<String> startJob(String token) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/demo/jobs"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code GET path} with optional headers (name, value, ...). */
  HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    context.close();
  }
}
