package dev.cloudpg.testkit.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The requests the fake answered, in order, and their files: one JSON document per request. */
final class ArmRequestLog {
  /** Field names whose values are secrets wherever they appear. */
  private static final Set<String> SECRET_FIELDS = Set.of("password", "adminpassword", "secret", "clientsecret",
      "secrettext", "token", "accesstoken", "refreshtoken", "key", "primarykey", "secondarykey", "sharedkey",
      "connectionstring");
  /** Arrays whose elements' {@code value} is a secret (credentials, kubeconfigs, keys). */
  private static final Set<String> SECRET_LISTS = Set.of("credentials", "kubeconfigs", "keys",
      "passwordcredentials");

  private final ObjectMapper json;
  private final Path dir;
  private final List<ArmRequest> requests = new ArrayList<>();

  ArmRequestLog(ObjectMapper json, Path dir) {
    this.json = json;
    this.dir = dir;
  }

  synchronized void add(ArmRequest request) {
    requests.add(request);
    if (dir != null) {
      write(dir, requests.size(), request);
    }
  }

  synchronized List<ArmRequest> all() {
    return List.copyOf(requests);
  }

  synchronized void writeAll(Path target) {
    for (int i = 0; i < requests.size(); i++) {
      write(target, i + 1, requests.get(i));
    }
  }

  private void write(Path target, int number, ArmRequest request) {
    String[] segments = request.path().split("/");
    String last = segments.length == 0 ? "" : segments[segments.length - 1];
    String type = segments.length < 2 ? "" : segments[segments.length - 2];
    String name = String.format(Locale.ROOT, "%04d-%s-%s-%s.json", number, request.method(), type, last)
        .replaceAll("[^A-Za-z0-9._-]", "_");
    ObjectNode doc = json.createObjectNode().put("method", request.method()).put("path", request.path())
        .put("apiVersion", request.apiVersion()).put("status", request.status())
        .put("auxiliaryTokenPresent", request.auxiliaryTokenPresent()).put("at", request.at().toString());
    doc.set("body", request.body());
    try {
      Files.createDirectories(target);
      json.writerWithDefaultPrettyPrinter().writeValue(target.resolve(name).toFile(), doc);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the request log to " + target, e);
    }
  }

  /** A copy with secret-looking values replaced, so logs can be kept and shared. */
  static JsonNode redacted(JsonNode body) {
    if (body == null) {
      return null;
    }
    JsonNode copy = body.deepCopy();
    redact(copy, false);
    return copy;
  }

  private static void redact(JsonNode node, boolean secretList) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String lower = name.toLowerCase(Locale.ROOT);
        JsonNode value = object.get(name);
        if (value.isValueNode() && (SECRET_FIELDS.contains(lower) || secretList && lower.equals("value"))) {
          object.put(name, "***");
        } else {
          redact(value, SECRET_LISTS.contains(lower));
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(element -> redact(element, secretList));
    }
  }
}
