package dev.cloudpg.testkit.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft.Authorization as ARM answers it: role assignments and definitions at a scope, the {@code $filter}s the
 * SDK sends when it lists them, and the built-in roles a provider looks up by name.
 */
final class ArmRoles {
  static final String ASSIGNMENT_TYPE = "microsoft.authorization/roleassignments";
  static final String DEFINITION_TYPE = "microsoft.authorization/roledefinitions";

  /** The built-in roles a PostgreSQL platform on Azure assigns; their ids are the same in every tenant. */
  private static final List<String[]> BUILT_IN = List.of(
      new String[] {"b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor"},
      new String[] {"acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader"},
      new String[] {"4d97b98b-1d4f-4787-a291-c67834d212e7", "Network Contributor"},
      new String[] {"ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor"},
      new String[] {"b0d8363b-8ddd-447d-831f-62ca05bff136", "Monitoring Data Reader"},
      new String[] {"3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher"},
      new String[] {"22926164-76b3-42b3-bc55-97df8dab3e41", "Grafana Admin"});

  private static final Pattern PRINCIPAL = Pattern.compile("principalId\\s+eq\\s+'([^']*)'", Pattern.CASE_INSENSITIVE);
  private static final Pattern ASSIGNED_TO = Pattern.compile("assignedTo\\('([^']*)'\\)", Pattern.CASE_INSENSITIVE);
  private static final Pattern ROLE_NAME = Pattern.compile("roleName\\s+eq\\s+'([^']*)'", Pattern.CASE_INSENSITIVE);
  private static final Pattern ROLE_TYPE = Pattern.compile("type\\s+eq\\s+'([^']*)'", Pattern.CASE_INSENSITIVE);

  private final ObjectMapper json;

  ArmRoles(ObjectMapper json) {
    this.json = json;
  }

  void beforePut(ArmStore store, ArmPath path, ObjectNode body) {
    ObjectNode properties = body.withObject("properties");
    if (ASSIGNMENT_TYPE.equals(path.typeKey())) {
      properties.put("scope", path.scope());
      String principal = text(properties, "principalId");
      String role = lastSegment(text(properties, "roleDefinitionId"));
      boolean taken = !store.entries(e -> ASSIGNMENT_TYPE.equals(e.typeKey()) && !e.path.key().equals(path.key())
          && e.path.scope().equalsIgnoreCase(path.scope())
          && principal.equalsIgnoreCase(text(e.body.path("properties"), "principalId"))
          && role.equalsIgnoreCase(lastSegment(text(e.body.path("properties"), "roleDefinitionId")))).isEmpty();
      if (taken) {
        throw new ArmException(409, "RoleAssignmentExists", "The role assignment already exists.");
      }
    } else if (DEFINITION_TYPE.equals(path.typeKey())) {
      if (!properties.has("type")) {
        properties.put("type", "CustomRole");
      }
      String name = text(properties, "roleName");
      boolean taken = BUILT_IN.stream().anyMatch(r -> r[1].equalsIgnoreCase(name))
          || !store.entries(e -> DEFINITION_TYPE.equals(e.typeKey()) && !e.path.last().equalsIgnoreCase(path.last())
              && name.equalsIgnoreCase(text(e.body.path("properties"), "roleName"))).isEmpty();
      if (taken) {
        throw new ArmException(409, "RoleDefinitionWithSameNameExists",
            "A custom role with the same name already exists in this directory. Use a different name.");
      }
    }
  }

  /** Assignments listed at a scope: with {@code atScope()} those at it or above, otherwise also those below. */
  Predicate<ArmStore.Entry> assignmentFilter(String scope, String filter) {
    String f = filter == null ? "" : filter;
    boolean atScope = f.toLowerCase(Locale.ROOT).contains("atscope()");
    Optional<String> principal = group(PRINCIPAL, f).or(() -> group(ASSIGNED_TO, f));
    return e -> ASSIGNMENT_TYPE.equals(e.typeKey())
        && (above(e.path.scope(), scope) || !atScope && above(scope, e.path.scope()))
        && principal.map(p -> p.equalsIgnoreCase(text(e.body.path("properties"), "principalId"))).orElse(true);
  }

  /** Custom roles usable at a scope: those defined at it or above, by name and type when the filter asks. */
  Predicate<ArmStore.Entry> definitionFilter(String scope, String filter) {
    String f = filter == null ? "" : filter;
    Optional<String> name = group(ROLE_NAME, f);
    Optional<String> type = group(ROLE_TYPE, f);
    return e -> DEFINITION_TYPE.equals(e.typeKey()) && above(e.path.scope(), scope)
        && name.map(n -> n.equalsIgnoreCase(text(e.body.path("properties"), "roleName"))).orElse(true)
        && type.map(t -> t.equalsIgnoreCase(text(e.body.path("properties"), "type"))).orElse(true);
  }

  List<ObjectNode> builtIns(String scope, String filter) {
    String f = filter == null ? "" : filter;
    Optional<String> name = group(ROLE_NAME, f);
    if (group(ROLE_TYPE, f).filter(t -> !t.equalsIgnoreCase("BuiltInRole")).isPresent()) {
      return List.of();
    }
    return BUILT_IN.stream().filter(r -> name.map(r[1]::equalsIgnoreCase).orElse(true))
        .map(r -> builtIn(scope, r)).toList();
  }

  Optional<ObjectNode> builtIn(ArmPath path) {
    if (!DEFINITION_TYPE.equals(path.typeKey())) {
      return Optional.empty();
    }
    return BUILT_IN.stream().filter(r -> r[0].equalsIgnoreCase(path.last())).findFirst()
        .map(r -> builtIn(path.scope(), r));
  }

  private ObjectNode builtIn(String scope, String[] role) {
    String[] parts = scope.split("/");
    String prefix = parts.length >= 3 && parts[1].equalsIgnoreCase("subscriptions") ? "/subscriptions/" + parts[2]
        : "";
    ObjectNode body = json.createObjectNode()
        .put("id", prefix + "/providers/Microsoft.Authorization/roleDefinitions/" + role[0])
        .put("name", role[0]).put("type", "Microsoft.Authorization/roleDefinitions");
    ObjectNode properties = body.putObject("properties").put("roleName", role[1]).put("type", "BuiltInRole")
        .put("description", role[1]);
    properties.putArray("assignableScopes").add("/");
    ObjectNode permission = properties.putArray("permissions").addObject();
    permission.putArray("actions");
    permission.putArray("notActions");
    permission.putArray("dataActions");
    permission.putArray("notDataActions");
    return body;
  }

  /** True when {@code outer} is {@code inner} or one of its ancestors. */
  private static boolean above(String outer, String inner) {
    String o = ArmPath.key(outer);
    String i = ArmPath.key(inner);
    return i.equals(o) || i.startsWith(o.endsWith("/") ? o : o + "/");
  }

  private static Optional<String> group(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }

  private static String lastSegment(String id) {
    return id.substring(id.lastIndexOf('/') + 1);
  }
}
