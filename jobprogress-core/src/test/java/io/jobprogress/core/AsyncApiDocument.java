package io.jobprogress.core;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The protocol's AsyncAPI document ({@code docs/asyncapi.yaml}) as the tests see it: the messages of the
 * server's {@code receive} and {@code send} operations, keyed by their frame {@code type}, each with its
 * payload compiled as a draft-07 JSON Schema whose {@code $ref}s resolve inside the document.
 *
 * <p>Built once per test class; immutable after {@link #load}, so safe to share between tests.
 */
final class AsyncApiDocument {
  /** Where the document is, relative to the jobprogress-core module (surefire's working directory). */
  static final Path PATH = Path.of("..", "docs", "asyncapi.yaml");

  /** A name the registry serves the document under, so no schema is ever fetched from a network. */
  private static final String IRI = "https://jobprogress.invalid/asyncapi.json";

  static final JsonMapper JSON = JsonMapper.builder().build();

  /** One message of the document: its frame type, where it is, its examples and its compiled payload. */
  record Message(String type, String pointer, JsonNode payload, List<JsonNode> examples, Schema schema) {
    /** The validator's complaints about {@code frame}; empty when the frame conforms. */
    List<Error> validate(JsonNode frame) {
      return schema.validate(frame);
    }
  }

  final JsonNode root;
  /** Client-to-server messages (the {@code receive} operation), by frame type. */
  final Map<String, Message> client;
  /** Server-to-client messages (the {@code send} operation), by frame type. */
  final Map<String, Message> server;

  private AsyncApiDocument(JsonNode root, Map<String, Message> client, Map<String, Message> server) {
    this.root = root;
    this.client = client;
    this.server = server;
  }

  static AsyncApiDocument load() throws Exception {
    if (!Files.isRegularFile(PATH)) {
      throw new IllegalStateException("AsyncApiDocument: " + PATH.toAbsolutePath() + " not found");
    }
    JsonNode root = YAMLMapper.builder().build().readTree(Files.readString(PATH));
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
        b -> b.schemas(Map.of(IRI, JSON.writeValueAsString(root))));
    return new AsyncApiDocument(root, messages(root, registry, "receive"), messages(root, registry, "send"));
  }

  private static Map<String, Message> messages(JsonNode root, SchemaRegistry registry, String action) {
    Map<String, Message> byType = new LinkedHashMap<>();
    for (JsonNode op : root.path("operations").values()) {
      if (!action.equals(op.path("action").asString(""))) {
        continue;
      }
      for (JsonNode ref : op.path("messages").values()) {
        String pointer = follow(root, ref.path("$ref").asString().substring(1)); // drop the "#"
        JsonNode message = root.at(pointer);
        JsonNode payload = root.at(follow(root, pointer + "/payload"));
        String type = payload.at("/properties/type/const").asString(null);
        if (type == null) {
          throw new IllegalStateException("AsyncApiDocument: " + pointer + " has no payload properties.type.const");
        }
        if (byType.containsKey(type)) {
          throw new IllegalStateException("AsyncApiDocument: two " + action + " messages for type " + type);
        }
        List<JsonNode> examples = new ArrayList<>();
        message.path("examples").values().forEach(e -> examples.add(e.path("payload")));
        Schema schema = registry.getSchema(SchemaLocation.of(IRI + "#" + pointer + "/payload"));
        byType.put(type, new Message(type, pointer, payload, List.copyOf(examples), schema));
      }
    }
    return Map.copyOf(byType);
  }

  /** Follows a chain of local {@code $ref}s from a JSON pointer to the pointer of the node it ends at. */
  private static String follow(JsonNode root, String pointer) {
    for (int hops = 0; hops < 8; hops++) {
      JsonNode node = root.at(pointer);
      if (node.isMissingNode()) {
        throw new IllegalStateException("AsyncApiDocument: nothing at #" + pointer);
      }
      JsonNode ref = node.get("$ref");
      if (ref == null) {
        return pointer;
      }
      pointer = ref.asString().substring(1); // "#/components/..." -> "/components/..."
    }
    throw new IllegalStateException("AsyncApiDocument: $ref chain too long at #" + pointer);
  }
}
