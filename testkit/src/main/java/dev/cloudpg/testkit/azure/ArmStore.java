package dev.cloudpg.testkit.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudpg.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The fake's state: every resource by lower-case id, and the long-running operations that move them on in simulated
 * time, read from the fake's {@link TimeSource}. Operations finish lazily: each request first settles whatever is due
 * by that clock, so no timer thread is needed, and on a virtual clock an operation is done exactly when the clock
 * says. One lock guards everything; the fake serves a handful of test clients, not a cloud.
 */
final class ArmStore {
  static final String GROUP_TYPE = "microsoft.resources/resourcegroups";
  static final String CLUSTER_TYPE = "microsoft.containerservice/managedclusters";
  static final String POOL_TYPE = "microsoft.containerservice/managedclusters/agentpools";
  static final String STORAGE_TYPE = "microsoft.storage/storageaccounts";

  /** Types ARM always creates asynchronously, whatever their simulated duration. */
  private static final Set<String> ALWAYS_ASYNC = Set.of(CLUSTER_TYPE, POOL_TYPE, STORAGE_TYPE,
      "microsoft.network/virtualnetworks", "microsoft.network/publicipaddresses",
      "microsoft.network/virtualnetworks/virtualnetworkpeerings");
  private static final Set<String> ASYNC_NAMESPACES = Set.of("microsoft.dashboard", "microsoft.monitor",
      "microsoft.operationalinsights");
  /** Types whose ARM representation has no provisioningState. */
  private static final Set<String> STATELESS = Set.of("microsoft.managedidentity/userassignedidentities",
      "microsoft.managedidentity/userassignedidentities/federatedidentitycredentials",
      "microsoft.storage/storageaccounts/blobservices/containers", "microsoft.authorization/roleassignments",
      "microsoft.authorization/roledefinitions");

  enum Change { CREATE, UPDATE, DELETE }

  /** A long-running operation; {@code doneAt} is on the fake's clock. */
  record Operation(String id, String resourceKey, Change change, Instant doneAt) {
    boolean done(Instant now) {
      return !now.isBefore(doneAt);
    }
  }

  /** A stored resource: its path as first written, its JSON and the operation still under way on it, if any. */
  static final class Entry {
    final ArmPath path;
    ObjectNode body;
    Operation pending;

    Entry(ArmPath path, ObjectNode body) {
      this.path = path;
      this.body = body;
    }

    String typeKey() {
      return path.typeKey();
    }
  }

  /** One request as the store sees it. {@code base} is the endpoint absolute URLs in answers start with. */
  record Call(String method, ArmPath path, JsonNode body, Map<String, String> query, String base, String ifMatch,
      String ifNoneMatch) {
    Call(String method, ArmPath path, JsonNode body, Map<String, String> query, String base) {
      this(method, path, body, query, base, null, null);
    }

    String apiVersion() {
      return query.get("api-version");
    }
  }

  private final ObjectMapper json;
  private final ArmRules rules;
  private final ArmRoles roles;
  private final Map<String, Duration> durations;
  private final TimeSource time;
  private final Map<String, Entry> resources = new LinkedHashMap<>();
  private final Map<String, Operation> operations = new HashMap<>();

  ArmStore(ObjectMapper json, ArmRules rules, ArmRoles roles, Map<String, Duration> durations, TimeSource time) {
    this.json = json;
    this.rules = rules;
    this.roles = roles;
    this.durations = durations;
    this.time = time;
  }

  /** The Kubernetes versions this fake's AKS offers in every region; the second is the default. */
  static final List<String> KUBERNETES_VERSIONS = List.of("1.35", "1.36", "1.37");

  synchronized ArmResponse handle(Call call) {
    settle();
    ArmPath path = call.path();
    if ("GET".equals(call.method()) && path.id().toLowerCase(Locale.ROOT)
        .matches("/subscriptions/[^/]+/providers/microsoft\\.containerservice/locations/[^/]+/kubernetesversions")) {
      return ArmResponse.of(200, kubernetesVersions());
    }
    return switch (path.kind()) {
      case RESOURCE_GROUPS -> list(e -> GROUP_TYPE.equals(e.typeKey())
          && e.path.subscription().equalsIgnoreCase(path.subscription())
          && tagFilter(call.query().get("$filter")).test(e));
      case RESOURCE_GROUP -> group(call);
      case GROUP_RESOURCES -> list(e -> e.path.kind() == ArmPath.Kind.RESOURCE && !e.path.nested()
          && e.path.scope().equalsIgnoreCase(path.resourceGroupId())
          && !e.typeKey().startsWith("microsoft.authorization/") && tagFilter(call.query().get("$filter")).test(e));
      case RESOURCE -> resource(call);
      case COLLECTION -> "POST".equals(call.method()) ? action(call) : collection(call);
      case OPERATION -> operation(call);
      case UNKNOWN -> throw new ArmException(404, "NotFound", "This fake does not serve " + path.id());
    };
  }

  private JsonNode kubernetesVersions() {
    ObjectNode answer = json.createObjectNode();
    com.fasterxml.jackson.databind.node.ArrayNode values = answer.putArray("values");
    for (int i = 0; i < KUBERNETES_VERSIONS.size(); i++) {
      String minor = KUBERNETES_VERSIONS.get(i);
      ObjectNode v = values.addObject().put("version", minor).put("isDefault", i == 1).put("isPreview", false);
      ObjectNode patches = v.putObject("patchVersions");
      for (String patch : List.of("0", "1", "2")) {
        com.fasterxml.jackson.databind.node.ArrayNode upgrades = patches.putObject(minor + "." + patch)
            .putArray("upgrades");
        if (i + 1 < KUBERNETES_VERSIONS.size()) {
          upgrades.add(KUBERNETES_VERSIONS.get(i + 1) + ".0");
        }
      }
    }
    return answer;
  }

  synchronized Optional<JsonNode> snapshot(String id) {
    settle();
    Entry e = resources.get(ArmPath.key(id));
    return e == null ? Optional.empty() : Optional.of(view(e));
  }

  synchronized List<JsonNode> snapshots(String type) {
    settle();
    return resources.values().stream().filter(e -> e.typeKey().equalsIgnoreCase(type)).<JsonNode>map(this::view)
        .toList();
  }

  Optional<Entry> entry(String id) {
    return Optional.ofNullable(resources.get(ArmPath.key(id)));
  }

  private static final java.util.regex.Pattern TAG_FILTER = java.util.regex.Pattern.compile(
      "^\\s*tagName\\s+eq\\s+'([^']*)'(?:\\s+and\\s+tagValue\\s+eq\\s+'([^']*)')?\\s*$",
      java.util.regex.Pattern.CASE_INSENSITIVE);

  /**
   * ARM's {@code $filter} of a list by tag: {@code tagName eq 'n'} or {@code tagName eq 'n' and tagValue eq 'v'};
   * anything else is a 400, as ARM refuses filters it does not know.
   */
  static Predicate<Entry> tagFilter(String filter) {
    if (filter == null || filter.isBlank()) {
      return e -> true;
    }
    java.util.regex.Matcher m = TAG_FILTER.matcher(filter);
    if (!m.matches()) {
      throw new ArmException(400, "InvalidFilterInQueryString", "Invalid $filter '" + filter + "' specified in the "
          + "query string.");
    }
    String name = m.group(1);
    String value = m.group(2);
    return e -> {
      JsonNode tags = e.body.get("tags");
      JsonNode tag = tags == null ? null : tags.get(name);
      return tag != null && (value == null || value.equals(tag.asText()));
    };
  }

  /**
   * The preconditions of a write as ARM's resource providers that support them check them (Private DNS zones,
   * network resources): {@code If-None-Match: *} fails when the resource exists, {@code If-Match} when its etag
   * differs or it is absent; both with 412 {@code PreconditionFailed}.
   */
  private static void checkPreconditions(Call call, Entry existing) {
    if ("*".equals(call.ifNoneMatch()) && existing != null) {
      throw new ArmException(412, "PreconditionFailed", "The resource '" + call.path().last() + "' already exists.");
    }
    if (call.ifMatch() != null && (existing == null
        || !("*".equals(call.ifMatch()) || call.ifMatch().equals(etag(existing))))) {
      throw new ArmException(412, "PreconditionFailed", "The etag of '" + call.path().last()
          + "' does not match the If-Match header.");
    }
  }

  private static String etag(Entry entry) {
    JsonNode etag = entry.body.get("etag");
    return etag == null ? null : etag.asText();
  }

  // ---- resource groups

  private ArmResponse group(Call call) {
    ArmPath path = call.path();
    Entry existing = resources.get(path.key());
    switch (call.method()) {
      case "HEAD":
        return ArmResponse.of(existing == null ? 404 : 204, null);
      case "GET":
        if (existing == null) {
          throw ArmException.notFound(path);
        }
        return ArmResponse.of(200, view(existing));
      case "PUT": {
        if (existing != null && existing.pending != null) {
          throw new ArmException(409, "ResourceGroupBeingDeleted", "The resource group '" + path.resourceGroup()
              + "' is in deprovisioning state and cannot perform this operation.");
        }
        ObjectNode body = normalized(call.body(), path, existing);
        body.withObject("properties").put("provisioningState", "Succeeded");
        store(path, existing, body);
        return ArmResponse.of(existing == null ? 201 : 200, body.deepCopy());
      }
      case "DELETE":
        if (existing == null) {
          throw ArmException.notFound(path);
        }
        return delete(call, existing);
      default:
        throw methodNotAllowed(call);
    }
  }

  /** Makes the group a resource's id names, as ARM would implicitly (the node resource group of a cluster). */
  void ensureGroup(String subscription, String group, String location) {
    ArmPath path = ArmPath.parse("/subscriptions/" + subscription + "/resourceGroups/" + group);
    if (!resources.containsKey(path.key())) {
      ObjectNode body = normalized(json.createObjectNode().put("location", location), path, null);
      body.withObject("properties").put("provisioningState", "Succeeded");
      store(path, null, body);
    }
  }

  /**
   * The node resource group of an AKS cluster, as AKS keeps it: made when absent, {@code managedBy} the cluster, with
   * the cluster's tags, which AKS applies to the resources related to the cluster.
   */
  void ensureManagedGroup(String subscription, String group, String location, String managedBy, JsonNode tags) {
    ensureGroup(subscription, group, location);
    ObjectNode body = resources.get(ArmPath.parse("/subscriptions/" + subscription + "/resourceGroups/" + group)
        .key()).body;
    body.put("managedBy", managedBy);
    if (tags != null && tags.isObject()) {
      body.set("tags", tags.deepCopy());
    }
  }

  /**
   * Stores a virtual network that already exists, as a test's application network would, in its group (made when
   * absent), provisioned and with no subnets; answers its id.
   */
  synchronized String seedVirtualNetwork(String subscription, String group, String name, String location,
      String cidr) {
    ensureGroup(subscription, group, location);
    ArmPath path = ArmPath.parse("/subscriptions/" + subscription + "/resourceGroups/" + group
        + "/providers/Microsoft.Network/virtualNetworks/" + name);
    ObjectNode body = json.createObjectNode().put("location", location);
    body.withObject("properties").withObject("addressSpace").putArray("addressPrefixes").add(cidr);
    body = normalized(body, path, null);
    body.put("etag", "\"" + UUID.randomUUID() + "\"");
    body.withObject("properties").put("provisioningState", "Succeeded");
    store(path, resources.get(path.key()), body);
    return path.id();
  }

  // ---- resources

  private ArmResponse resource(Call call) {
    ArmPath path = call.path();
    Entry existing = resources.get(path.key());
    switch (call.method()) {
      case "GET":
        if (existing == null) {
          return roles.builtIn(path).map(b -> ArmResponse.of(200, b)).orElseThrow(() -> ArmException.notFound(path));
        }
        return ArmResponse.of(200, view(existing));
      case "PUT":
        checkPreconditions(call, existing);
        return put(call, existing);
      case "DELETE":
        if (call.ifMatch() != null) {
          checkPreconditions(call, existing);
        }
        if (existing == null) {
          return ArmResponse.of(204, null);
        }
        rules.checkNotBusy(this, path);
        return delete(call, existing);
      default:
        throw methodNotAllowed(call);
    }
  }

  private ArmResponse put(Call call, Entry existing) {
    ArmPath path = call.path();
    if (path.resourceGroup() != null) {
      Entry group = resources.get(ArmPath.key(path.resourceGroupId()));
      if (group == null || group.pending != null) {
        throw ArmException.groupNotFound(path.resourceGroup());
      }
    }
    if (path.nested() && !resources.containsKey(ArmPath.key(path.topLevelId()))) {
      ArmPath parent = ArmPath.parse(path.topLevelId());
      throw new ArmException(404, "ParentResourceNotFound", "Failed to perform 'write' on resource(s) of type '"
          + path.type() + "', because the parent resource '" + parent.id() + "' could not be found.");
    }
    rules.checkNotBusy(this, path);
    if (existing != null && existing.pending != null && existing.pending.change() == Change.DELETE) {
      throw new ArmException(409, "Conflict", "The resource '" + path.last() + "' is being deleted.");
    }
    ObjectNode body = normalized(call.body(), path, existing);
    body.put("etag", "\"" + UUID.randomUUID() + "\"");
    rules.beforePut(this, path, existing == null ? null : existing.body, body);
    roles.beforePut(this, path, body);
    Change change = existing == null ? Change.CREATE : Change.UPDATE;
    boolean async = async(path.typeKey());
    if (async) {
      body.withObject("properties").put("provisioningState", change == Change.CREATE ? "Creating" : "Updating");
    } else if (!STATELESS.contains(path.typeKey())) {
      body.withObject("properties").put("provisioningState", "Succeeded");
    }
    Entry entry = store(path, existing, body);
    Operation op = async ? start(entry, change) : null;
    rules.afterPut(this, entry, op);
    int status = change == Change.CREATE ? 201 : 200;
    if (op == null) {
      return ArmResponse.of(status, view(entry));
    }
    if (STORAGE_TYPE.equals(path.typeKey()) && change == Change.CREATE) {
      // Storage accounts answer a create with 202, an empty body and a Location to poll, unlike most types.
      return ArmResponse.of(202, null).header("Location", operationUrl(call, entry, op, "asyncoperations"))
          .header("Retry-After", "1");
    }
    return ArmResponse.of(status, view(entry))
        .header("Azure-AsyncOperation", operationUrl(call, entry, op, "operations")).header("Retry-After", "1");
  }

  private ArmResponse delete(Call call, Entry entry) {
    if (entry.pending != null && entry.pending.change() == Change.DELETE) {
      Operation op = entry.pending;
      return accepted(call, entry, op);
    }
    // ARM deletes a storage account synchronously even though it creates one asynchronously.
    boolean syncDelete = !async(entry.typeKey()) || STORAGE_TYPE.equals(entry.typeKey());
    if (syncDelete && !GROUP_TYPE.equals(entry.typeKey())) {
      ObjectNode last = view(entry);
      remove(entry);
      return ArmResponse.of(200, "microsoft.authorization/roleassignments".equals(entry.typeKey()) ? last : null);
    }
    entry.body.withObject("properties").put("provisioningState", "Deleting");
    Operation op = start(entry, Change.DELETE);
    return accepted(call, entry, op);
  }

  private ArmResponse accepted(Call call, Entry entry, Operation op) {
    return ArmResponse.of(202, null).header("Location", operationUrl(call, entry, op, "operationresults"))
        .header("Azure-AsyncOperation", operationUrl(call, entry, op, "operations")).header("Retry-After", "1");
  }

  // ---- collections and actions

  private ArmResponse collection(Call call) {
    if (!"GET".equals(call.method())) {
      throw methodNotAllowed(call);
    }
    ArmPath path = call.path();
    String filter = call.query().get("$filter");
    return switch (path.typeKey()) {
      case "microsoft.authorization/roleassignments" -> list(roles.assignmentFilter(path.scope(), filter));
      case "microsoft.authorization/roledefinitions" -> {
        ArmResponse answer = list(roles.definitionFilter(path.scope(), filter));
        roles.builtIns(path.scope(), filter).forEach(((ArrayNode) answer.body().get("value"))::add);
        yield answer;
      }
      default -> {
        String owner = path.key();
        yield list(e -> e.path.withoutLast().toLowerCase(Locale.ROOT).equals(owner));
      }
    };
  }

  private ArmResponse action(Call call) {
    ArmPath path = call.path();
    Entry target = resources.get(ArmPath.key(path.withoutLast()));
    if (target == null) {
      throw ArmException.notFound(ArmPath.parse(path.withoutLast()));
    }
    return ArmResponse.of(200, rules.action(target, path.last()));
  }

  private ArmResponse list(Predicate<Entry> which) {
    ObjectNode answer = json.createObjectNode();
    ArrayNode value = answer.putArray("value");
    resources.values().stream().filter(which).map(this::view).forEach(value::add);
    return ArmResponse.of(200, answer);
  }

  // ---- long-running operations

  private ArmResponse operation(Call call) {
    ArmPath path = call.path();
    Operation op = operations.get(path.last().toLowerCase(Locale.ROOT));
    if (op == null) {
      throw new ArmException(404, "OperationNotFound", "The operation '" + path.last() + "' was not found.");
    }
    boolean done = op.done(time.now());
    if ("operations".equals(path.operationKind())) {
      ObjectNode status = json.createObjectNode().put("id", path.id()).put("name", path.last())
          .put("status", done ? "Succeeded" : "InProgress");
      return ArmResponse.of(200, status);
    }
    if (!done) {
      return ArmResponse.of(202, null).header("Location", call.base() + path.id().substring(1) + "?"
          + "api-version=" + call.apiVersion()).header("Retry-After", "1");
    }
    Entry entry = resources.get(op.resourceKey());
    if (op.change() == Change.DELETE || entry == null) {
      return ArmResponse.of(204, null);
    }
    return ArmResponse.of(200, view(entry));
  }

  private Operation start(Entry entry, Change change) {
    Operation op = new Operation(UUID.randomUUID().toString(), entry.path.key(), change,
        time.now().plus(duration(entry.typeKey())));
    operations.put(op.id(), op);
    entry.pending = op;
    return op;
  }

  /** Starts an operation on a resource that follows another one's (an inline agent pool follows its cluster). */
  void follow(Entry entry, Operation leader) {
    entry.pending = new Operation(leader.id(), entry.path.key(), leader.change(), leader.doneAt());
  }

  private String operationUrl(Call call, Entry entry, Operation op, String kind) {
    ArmPath path = entry.path;
    String namespace = path.kind() == ArmPath.Kind.RESOURCE_GROUP ? "Microsoft.Resources"
        : path.segments().get(path.providersIndex() + 1);
    return call.base() + "subscriptions/" + path.subscription() + "/providers/" + namespace + "/locations/"
        + location(entry) + "/" + kind + "/" + op.id() + "?api-version=" + call.apiVersion();
  }

  private String location(Entry entry) {
    JsonNode own = entry.body.get("location");
    if (own != null && own.isTextual()) {
      return own.asText().replace(" ", "").toLowerCase(Locale.ROOT);
    }
    if (entry.path.nested()) {
      Entry top = resources.get(ArmPath.key(entry.path.topLevelId()));
      if (top != null) {
        return location(top);
      }
    }
    return "global";
  }

  private boolean async(String typeKey) {
    int slash = typeKey.indexOf('/');
    return ALWAYS_ASYNC.contains(typeKey) || ASYNC_NAMESPACES.contains(typeKey.substring(0, slash))
        || !duration(typeKey).isZero();
  }

  private Duration duration(String typeKey) {
    return durations.getOrDefault(typeKey, Duration.ZERO);
  }

  /** Finishes every operation that is due. */
  private void settle() {
    Instant now = time.now();
    for (Entry entry : new ArrayList<>(resources.values())) {
      Operation op = entry.pending;
      if (op == null || !op.done(now) || !resources.containsKey(entry.path.key())) {
        continue;
      }
      entry.pending = null;
      if (op.change() == Change.DELETE) {
        remove(entry);
      } else {
        entry.body.withObject("properties").put("provisioningState", "Succeeded");
      }
    }
  }

  // ---- storage helpers

  /** An operation still under way on a resource whose key matches, if any. */
  Optional<Operation> pendingOn(Predicate<String> keys) {
    Instant now = time.now();
    return resources.values().stream().filter(e -> e.pending != null && !e.pending.done(now)
        && keys.test(e.path.key())).map(e -> e.pending).findFirst();
  }

  List<Entry> entries(Predicate<Entry> which) {
    return resources.values().stream().filter(which).toList();
  }

  /** Writes a resource the fake makes by itself (an inline agent pool), with the usual id, name and type. */
  Entry put(ArmPath path, ObjectNode body) {
    Entry existing = resources.get(path.key());
    return store(path, existing, normalized(body, path, existing));
  }

  private Entry store(ArmPath path, Entry existing, ObjectNode body) {
    if (existing != null) {
      existing.body = body;
      return existing;
    }
    Entry entry = new Entry(path, body);
    resources.put(path.key(), entry);
    return entry;
  }

  /** Removes a resource and everything under it (children, extension resources at its scope). */
  void remove(Entry entry) {
    String key = entry.path.key();
    resources.keySet().removeIf(k -> k.equals(key) || k.startsWith(key + "/"));
    rules.afterDelete(this, entry);
  }

  private ObjectNode normalized(JsonNode requested, ArmPath path, Entry existing) {
    ObjectNode body = requested instanceof ObjectNode o ? o.deepCopy() : json.createObjectNode();
    ArmPath canonical = existing == null ? path : existing.path;
    body.put("id", canonical.id());
    body.put("name", canonical.last());
    body.put("type", canonical.type());
    if (!body.has("properties") || !body.get("properties").isObject()) {
      body.putObject("properties");
    }
    return body;
  }

  /** A copy of a resource as a GET answers it, with what ARM computes on read. */
  private ObjectNode view(Entry entry) {
    ObjectNode copy = entry.body.deepCopy();
    rules.onRead(this, entry, copy);
    return copy;
  }

  private static ArmException methodNotAllowed(Call call) {
    return new ArmException(405, "MethodNotAllowed", "The requested resource does not support http method '"
        + call.method() + "'.");
  }
}
