package io.jobprogress.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with live job progress: jobprogress-spring-boot-starter deploys the WebSocket
 * endpoint, polling and stats; {@link DemoJobController} starts jobs. Run with {@code JWT_SECRET} set.
 */
@SpringBootApplication
public class ExampleApplication {
  public static void main(String[] args) {
    SpringApplication.run(ExampleApplication.class, args);
  }
}
