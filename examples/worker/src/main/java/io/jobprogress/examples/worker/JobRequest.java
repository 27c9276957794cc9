package io.jobprogress.examples.worker;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.jobprogress.core.Ids;
import java.util.Objects;

/**
 * One job as the demo server hands it to a worker: which job, whose, and the user's prompt. On a Redis
 * list it travels as {@code {"jobId":"...","userId":"...","prompt":"..."}}.
 *
 * <p>Immutable and thread-safe; validated at construction (errors name the field).
 *
 * @param jobId the job id, valid per {@link Ids}
 * @param userId the owner, valid per {@link Ids}
 * @param prompt the prompt text, never null
 */
public record JobRequest(String jobId, String userId, String prompt) {
  private static final Gson GSON = new Gson();

  /** Validates the ids and the prompt's presence. */
  public JobRequest {
    Ids.require("jobId", jobId);
    Ids.require("userId", userId);
    Objects.requireNonNull(prompt, "prompt must not be null");
  }

  /** This request as the JSON pushed onto the queue. */
  public String toJson() {
    return GSON.toJson(this);
  }

  /**
   * Reads a request from the queue's JSON.
   *
   * @throws IllegalArgumentException for malformed JSON or an invalid field
   */
  public static JobRequest fromJson(String json) {
    JsonElement e;
    try {
      e = JsonParser.parseString(json);
    } catch (JsonParseException ex) {
      throw new IllegalArgumentException("job request is not valid JSON: " + ex.getMessage(), ex);
    }
    if (!e.isJsonObject()) {
      throw new IllegalArgumentException("job request must be a JSON object, was " + e);
    }
    JsonObject o = e.getAsJsonObject();
    return new JobRequest(string(o, "jobId"), string(o, "userId"), string(o, "prompt"));
  }

  private static String string(JsonObject o, String name) {
    JsonElement v = o.get(name);
    if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException("job request: \"" + name + "\" must be a string");
    }
    return v.getAsString();
  }
}
