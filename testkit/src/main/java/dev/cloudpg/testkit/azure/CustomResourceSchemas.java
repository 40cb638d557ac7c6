package dev.cloudpg.testkit.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CustomResourceDefinitions stored in a {@link FakeKubernetes}, and the validation of custom objects against the
 * {@code openAPIV3Schema} of their served version, as the API server does it.
 *
 * <p>A CRD's structural schema is turned into a JSON Schema (draft 7: OpenAPI v3.0's keywords, with its boolean
 * {@code exclusiveMaximum} and {@code exclusiveMinimum} turned into draft 7's numbers) that networknt's validator
 * checks:
 *
 * <ul>
 *   <li>an object node lists its fields: any other is unknown (the API server prunes it, or refuses it under
 *       {@code fieldValidation=Strict} and in server-side apply) unless the node says
 *       {@code x-kubernetes-preserve-unknown-fields: true} or has {@code additionalProperties};
 *   <li>the root and every {@code x-kubernetes-embedded-resource} node also allow {@code apiVersion}, {@code kind}
 *       and {@code metadata}, whose content the schema does not govern;
 *   <li>{@code x-kubernetes-int-or-string} is an integer or a string, {@code nullable} also admits null,
 *       {@code x-kubernetes-list-type: set} has no duplicates;
 *   <li>a required field that has a default is not missing (the API server defaults it before validating);
 *   <li>{@code format} is not checked (Kubernetes' formats are not JSON Schema's: its {@code duration} is Go's), and
 *       neither are {@code x-kubernetes-validations} (CEL rules).
 * </ul>
 *
 * <p>Errors come back as the API server reports them: an HTTP 422 {@code Status} with reason {@code Invalid} and one
 * cause per field.
 */
final class CustomResourceSchemas {
  static final String CRD_API_VERSION = "apiextensions.k8s.io/v1";
  static final String CRD_KIND = "CustomResourceDefinition";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Keywords that carry over from OpenAPI v3.0 to JSON Schema draft 7. */
  private static final Set<String> ASSERTIONS = Set.of("type", "enum", "pattern", "minimum", "maximum",
      "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems",
      "multipleOf", "minProperties", "maxProperties");
  private static final Set<String> JUNCTORS = Set.of("allOf", "anyOf", "oneOf");

  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
  /** The stored CRDs by name. */
  private final Map<String, Definition> definitions = new ConcurrentHashMap<>();

  /** A CRD and, made on first use, the schema of each of its versions. */
  private final class Definition {
    final JsonNode crd;
    final Map<String, Optional<Schema>> schemas = new ConcurrentHashMap<>();

    Definition(JsonNode crd) {
      this.crd = crd;
    }

    String group() {
      return crd.path("spec").path("group").asText();
    }

    String kind() {
      return crd.path("spec").path("names").path("kind").asText();
    }

    Optional<Schema> schema(String version) {
      return schemas.computeIfAbsent(version, v -> {
        for (JsonNode served : crd.path("spec").path("versions")) {
          if (v.equals(served.path("name").asText()) && served.path("served").asBoolean(true)) {
            JsonNode openApi = served.path("schema").path("openAPIV3Schema");
            return openApi.isObject() ? Optional.of(registry.getSchema(toJsonSchema(openApi))) : Optional.empty();
          }
        }
        return Optional.empty();
      });
    }
  }

  /** Whether a stored object is a CustomResourceDefinition. */
  static boolean isDefinition(JsonNode object) {
    return object != null && CRD_KIND.equals(object.path("kind").asText())
        && CRD_API_VERSION.equals(object.path("apiVersion").asText());
  }

  /** Notes a CRD that was stored (created or changed). */
  void stored(JsonNode crd) {
    definitions.put(crd.path("metadata").path("name").asText(), new Definition(crd));
  }

  /** Forgets a CRD that was deleted. */
  void removed(JsonNode crd) {
    definitions.remove(crd.path("metadata").path("name").asText());
  }

  void clear() {
    definitions.clear();
  }

  /**
   * The API server's answer to storing {@code object}: empty when it is valid or no CRD with a schema governs its
   * kind, else the body of a 422 {@code Status}.
   */
  Optional<String> refusal(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    int slash = apiVersion.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String group = apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    String kind = object.path("kind").asText();
    for (Definition d : definitions.values()) {
      if (d.group().equals(group) && d.kind().equals(kind)) {
        Optional<Schema> schema = d.schema(version);
        if (schema.isEmpty()) {
          return Optional.empty();
        }
        JsonNode checked = object;
        if (object.has("status") && object.get("status").isNull()) {
          checked = object.deepCopy(); // fabric8's patch handler writes an absent status as null
          ((ObjectNode) checked).remove("status");
        }
        List<Cause> causes = causes(schema.get().validate(checked));
        return causes.isEmpty() ? Optional.empty()
            : Optional.of(status(group, kind, object.path("metadata").path("name").asText(), causes));
      }
    }
    return Optional.empty();
  }

  // ---- the schema -------------------------------------------------------------------------------------------------

  /** The JSON Schema of a CRD version's {@code openAPIV3Schema}. */
  static ObjectNode toJsonSchema(JsonNode openApi) {
    ObjectNode root = translate(openApi, true);
    ObjectNode properties = root.has("properties") ? (ObjectNode) root.get("properties") : root.putObject("properties");
    implicitObjectFields(properties);
    return root;
  }

  /** The API server validates {@code metadata} as ObjectMeta itself; the schema governs neither it nor the type. */
  private static void implicitObjectFields(ObjectNode properties) {
    properties.set("apiVersion", JSON.objectNode().put("type", "string"));
    properties.set("kind", JSON.objectNode().put("type", "string"));
    properties.set("metadata", JSON.objectNode().put("type", "object"));
  }

  /**
   * One node; {@code structural} is false inside {@code allOf}, {@code anyOf}, {@code oneOf} and {@code not}, whose
   * branches only add constraints to fields the structural node declares.
   */
  private static ObjectNode translate(JsonNode node, boolean structural) {
    ObjectNode out = JSON.objectNode();
    if (!node.isObject()) {
      return out;
    }
    for (String keyword : ASSERTIONS) {
      if (node.has(keyword)) {
        out.set(keyword, node.get(keyword).deepCopy());
      }
    }
    exclusiveBound(out, "exclusiveMaximum", "maximum");
    exclusiveBound(out, "exclusiveMinimum", "minimum");
    JsonNode properties = node.get("properties");
    if (properties != null && properties.isObject()) {
      ObjectNode translated = out.putObject("properties");
      properties.fields().forEachRemaining(e -> translated.set(e.getKey(), translate(e.getValue(), structural)));
      ArrayNode required = JSON.arrayNode();
      for (JsonNode name : node.path("required")) {
        if (!properties.path(name.asText()).has("default")) {
          required.add(name.asText());
        }
      }
      if (!required.isEmpty()) {
        out.set("required", required);
      }
    } else if (node.path("required").isArray() && !node.path("required").isEmpty()) {
      out.set("required", node.get("required").deepCopy());
    }
    JsonNode items = node.get("items");
    if (items != null && items.isObject()) {
      out.set("items", translate(items, structural));
    } else if (items != null && items.isArray()) {
      ArrayNode translated = out.putArray("items");
      items.forEach(i -> translated.add(translate(i, structural)));
    }
    JsonNode additional = node.get("additionalProperties");
    if (additional != null && additional.isObject()) {
      out.set("additionalProperties", translate(additional, structural));
    } else if (additional != null && additional.isBoolean()) {
      out.put("additionalProperties", additional.asBoolean());
    }
    boolean intOrString = node.path("x-kubernetes-int-or-string").asBoolean(false);
    for (String junctor : JUNCTORS) {
      JsonNode branches = node.get(junctor);
      if (branches == null || !branches.isArray() || (intOrString && onlyTypes(branches))) {
        continue;
      }
      ArrayNode translated = out.putArray(junctor);
      branches.forEach(b -> translated.add(translate(b, false)));
    }
    if (node.has("not")) {
      out.set("not", translate(node.get("not"), false));
    }
    if (intOrString) {
      out.set("type", JSON.arrayNode().add("integer").add("string"));
    }
    if ("set".equals(node.path("x-kubernetes-list-type").asText())) {
      out.put("uniqueItems", true);
    }
    if (node.path("nullable").asBoolean(false)) {
      nullable(out);
    }
    boolean embedded = node.path("x-kubernetes-embedded-resource").asBoolean(false);
    if (embedded) {
      implicitObjectFields(out.has("properties") ? (ObjectNode) out.get("properties") : out.putObject("properties"));
    }
    boolean preserve = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    boolean object = "object".equals(node.path("type").asText()) || out.has("properties");
    if (structural && object && !preserve && !out.has("additionalProperties")) {
      out.put("additionalProperties", false);
    }
    return out;
  }

  /** OpenAPI v3.0's boolean {@code exclusiveMaximum: true} beside {@code maximum} is draft 7's number. */
  private static void exclusiveBound(ObjectNode out, String exclusive, String bound) {
    JsonNode flag = out.get(exclusive);
    if (flag == null || !flag.isBoolean()) {
      return;
    }
    out.remove(exclusive);
    if (flag.asBoolean() && out.has(bound)) {
      out.set(exclusive, out.remove(bound));
    }
  }

  /** Whether int-or-string's branches only restate its two types, as controller-gen writes them. */
  private static boolean onlyTypes(JsonNode branches) {
    for (JsonNode b : branches) {
      if (b.size() != 1 || !b.has("type")) {
        return false;
      }
    }
    return true;
  }

  private static void nullable(ObjectNode out) {
    JsonNode type = out.get("type");
    if (type != null && type.isTextual()) {
      out.set("type", JSON.arrayNode().add(type.asText()).add("null"));
    } else if (type != null && type.isArray()) {
      ((ArrayNode) type).add("null");
    }
    if (out.get("enum") instanceof ArrayNode values) {
      values.addNull();
    }
  }

  // ---- the errors -------------------------------------------------------------------------------------------------

  /** One cause of a 422: a Kubernetes {@code field.Error}. */
  record Cause(String reason, String field, String message) {
    /** As the API server joins causes into its message: {@code field: message}. */
    String text() {
      return "field not declared in schema".equals(message) ? "." + field + ": " + message
          : field + ": " + message;
    }
  }

  private static List<Cause> causes(List<Error> errors) {
    Set<Cause> causes = new LinkedHashSet<>();
    Set<String> mistyped = new LinkedHashSet<>();
    for (Error e : errors) {
      if ("type".equals(e.getKeyword())) {
        mistyped.add(path(e.getInstanceLocation()));
      }
    }
    for (Error e : errors) {
      String at = path(e.getInstanceLocation());
      if (!"type".equals(e.getKeyword()) && mistyped.contains(at)) {
        continue; // a field of the wrong type says only that, as the API server does
      }
      causes.add(cause(e, at));
    }
    return new ArrayList<>(causes);
  }

  private static Cause cause(Error e, String at) {
    JsonNode value = e.getInstanceNode();
    JsonNode rule = e.getSchemaNode();
    String keyword = String.valueOf(e.getKeyword());
    switch (keyword) {
      case "required":
        return new Cause("FieldValueRequired", child(at, e.getProperty()), "Required value");
      case "additionalProperties":
        return new Cause("FieldValueInvalid", child(at, e.getProperty()), "field not declared in schema");
      case "type": {
        String actual = typeOf(value);
        String expected = rule != null && rule.isArray() ? join(rule, ",") : rule == null ? "?" : rule.asText();
        return new Cause("FieldValueTypeInvalid", at, "Invalid value: \"" + actual + "\": " + at
            + " in body must be of type " + expected + ": \"" + actual + "\"");
      }
      case "enum": {
        List<String> supported = new ArrayList<>();
        if (rule != null) {
          rule.forEach(v -> supported.add(show(v)));
        }
        return new Cause("FieldValueNotSupported", at, "Unsupported value: " + show(value) + ": supported values: "
            + String.join(", ", supported));
      }
      case "maxLength":
        return new Cause("FieldValueTooLong", at, "Too long: may not be more than " + number(rule) + " bytes");
      case "maxItems":
        return new Cause("FieldValueTooMany", at, "Too many: " + value.size() + ": must have at most "
            + number(rule) + " items");
      case "maxProperties":
        return new Cause("FieldValueTooMany", at, "Too many: " + value.size() + ": must have at most "
            + number(rule) + " items");
      case "uniqueItems":
        return new Cause("FieldValueDuplicate", at, "Duplicate value: " + show(duplicate(value)));
      default:
        return new Cause("FieldValueInvalid", at, "Invalid value: " + show(value) + ": " + at + " in body "
            + detail(keyword, rule, e));
    }
  }

  /** The wording of kube-openapi's validation errors. */
  private static String detail(String keyword, JsonNode rule, Error e) {
    switch (keyword) {
      case "pattern":
        return "should match '" + rule.asText() + "'";
      case "maximum":
        return "should be less than or equal to " + number(rule);
      case "exclusiveMaximum":
        return "should be less than " + number(rule);
      case "minimum":
        return "should be greater than or equal to " + number(rule);
      case "exclusiveMinimum":
        return "should be greater than " + number(rule);
      case "minLength":
        return "should be at least " + number(rule) + " chars long";
      case "minItems":
        return "should have at least " + number(rule) + " items";
      case "minProperties":
        return "should have at least " + number(rule) + " properties";
      case "multipleOf":
        return "should be a multiple of " + number(rule);
      case "anyOf":
        return "must validate at least one schema (anyOf)";
      case "oneOf":
        return "must validate one and only one schema (oneOf)";
      case "not":
        return "must not validate the schema (not)";
      default:
        return e.getMessage();
    }
  }

  private static JsonNode duplicate(JsonNode array) {
    Set<JsonNode> seen = new LinkedHashSet<>();
    for (JsonNode item : array) {
      if (!seen.add(item)) {
        return item;
      }
    }
    return array;
  }

  /** A Kubernetes field path: {@code spec.plugins[0].name}. */
  static String path(NodePath location) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; location != null && i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(element);
      }
    }
    return path.toString();
  }

  private static String child(String at, String name) {
    return at.isEmpty() ? name : at + "." + name;
  }

  private static String typeOf(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "null";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    return value.isNumber() ? "number" : value.isTextual() ? "string" : value.isBoolean() ? "boolean"
        : value.isArray() ? "array" : "object";
  }

  private static String join(JsonNode values, String separator) {
    List<String> texts = new ArrayList<>();
    values.forEach(v -> texts.add(v.asText()));
    return String.join(separator, texts);
  }

  /** A value as Go's {@code %q} or {@code %v} shows it in a field error. */
  private static String show(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "null";
    }
    if (value.isTextual()) {
      return value.toString();
    }
    String json = value.toString();
    return json.length() > 200 ? json.substring(0, 200) + "..." : json;
  }

  /** A bound as Go prints a float64: {@code 9}, {@code 0.5}. */
  private static String number(JsonNode rule) {
    if (rule == null || !rule.isNumber()) {
      return rule == null ? "?" : rule.asText();
    }
    java.math.BigDecimal value = rule.decimalValue().stripTrailingZeros();
    return value.scale() <= 0 ? value.toBigInteger().toString() : value.toPlainString();
  }

  /** The body of the API server's 422 for a patch it cannot apply. */
  static String invalidRequest(String message) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("metadata", Map.of());
    status.put("status", "Failure");
    status.put("message", "the server rejected our request due to an error in our request: " + message);
    status.put("reason", "Invalid");
    status.put("code", 422);
    return json(status);
  }

  private static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The body of the API server's 422: {@code errors.NewInvalid(kind, name, causes)}. */
  static String status(String group, String kind, String name, List<Cause> causes) {
    List<String> texts = new ArrayList<>();
    causes.forEach(c -> texts.add(c.text()));
    String joined = texts.size() == 1 ? texts.get(0) : "[" + String.join(", ", texts) + "]";
    String qualified = group.isEmpty() ? kind : kind + "." + group;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("name", name);
    details.put("group", group);
    details.put("kind", kind);
    List<Map<String, String>> list = new ArrayList<>();
    for (Cause c : causes) {
      Map<String, String> cause = new LinkedHashMap<>();
      cause.put("reason", c.reason());
      cause.put("message", c.message());
      cause.put("field", c.field());
      list.add(cause);
    }
    details.put("causes", list);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("metadata", Map.of());
    status.put("status", "Failure");
    status.put("message", qualified + " \"" + name + "\" is invalid: " + joined);
    status.put("reason", "Invalid");
    status.put("details", details);
    status.put("code", 422);
    return json(status);
  }

}
