package dev.cloudpg.testkit.azure;

import static dev.cloudpg.testkit.azure.ArmRoles.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * What ARM computes or enforces per resource type: read-only properties (a value the client sends for them is
 * replaced), name rules, the node resource group and agent pools of a cluster, one operation at a time per cluster,
 * peering states, cluster credentials. Generated values come from a seeded {@link Random}, so runs repeat.
 */
final class ArmRules {
  private static final String IDENTITY_TYPE = "microsoft.managedidentity/userassignedidentities";
  private static final String PUBLIC_IP_TYPE = "microsoft.network/publicipaddresses";
  private static final String PEERING_TYPE = "microsoft.network/virtualnetworks/virtualnetworkpeerings";
  private static final Pattern STORAGE_NAME = Pattern.compile("[a-z0-9]{3,24}");
  /** Documentation address ranges (RFC 5737): they can never reach anyone. */
  private static final List<String> ADDRESS_PREFIXES = List.of("203.0.113.", "198.51.100.", "192.0.2.");
  /** Where kubeconfigs point when no Kubernetes fake was given: a name that never resolves (RFC 2606). */
  private static final String PLACEHOLDER_SERVER = "https://kubernetes.invalid:443";

  private final ObjectMapper json;
  private final String tenantId;
  private final Random random;
  private final URI kubernetesApiServer;
  private final Set<String> usedAddresses = new HashSet<>();

  ArmRules(ObjectMapper json, String tenantId, long seed, URI kubernetesApiServer) {
    this.json = json;
    this.tenantId = tenantId;
    this.random = new Random(seed);
    this.kubernetesApiServer = kubernetesApiServer;
  }

  /** AKS runs one operation at a time on a cluster and its node pools, and refuses a second with 409. */
  void checkNotBusy(ArmStore store, ArmPath path) {
    if (!ArmStore.CLUSTER_TYPE.equals(path.typeKey()) && !ArmStore.POOL_TYPE.equals(path.typeKey())) {
      return;
    }
    String cluster = ArmPath.key(path.topLevelId());
    store.pendingOn(k -> k.equals(cluster) || k.startsWith(cluster + "/agentpools/")).ifPresent(op -> {
      String change = op.change().name().toLowerCase(Locale.ROOT);
      String what = op.resourceKey().equals(cluster) ? "managed cluster" : "node pool";
      throw new ArmException(409, "OperationNotAllowed", "Operation is not allowed because there's an in progress "
          + change + " " + what + " operation. Please wait for it to finish before starting a new operation.");
    });
  }

  void beforePut(ArmStore store, ArmPath path, ObjectNode previous, ObjectNode body) {
    JsonNode before = previous == null ? json.createObjectNode() : previous;
    ObjectNode properties = body.withObject("properties");
    JsonNode old = before.path("properties");
    identities(store, before, body);
    switch (path.typeKey()) {
      case IDENTITY_TYPE -> {
        properties.put("principalId", keep(old, "principalId", this::guid));
        properties.put("clientId", keep(old, "clientId", this::guid));
        properties.put("tenantId", tenantId);
      }
      case ArmStore.STORAGE_TYPE -> {
        String name = path.last();
        if (!STORAGE_NAME.matcher(name).matches()) {
          throw new ArmException(400, "AccountNameInvalid", name + " is not a valid storage account name. Storage "
              + "account name must be between 3 and 24 characters in length and use numbers and lower-case letters "
              + "only.");
        }
        if (!store.entries(e -> ArmStore.STORAGE_TYPE.equals(e.typeKey()) && e.path.last().equalsIgnoreCase(name)
            && !e.path.key().equals(path.key())).isEmpty()) {
          throw new ArmException(409, "StorageAccountAlreadyTaken", "The storage account named " + name
              + " is already taken.");
        }
        properties.putObject("primaryEndpoints").put("blob", "https://" + name + ".blob.core.windows.net/");
      }
      case ArmStore.CLUSTER_TYPE -> {
        cluster(path, body, old);
        upgrades(store, path, previous, body);
      }
      case ArmStore.POOL_TYPE -> store.entry(path.topLevelId()).ifPresent(cluster -> pool(path.last(),
          previous == null ? null : previous.path("properties"), properties,
          text(cluster.body.path("properties"), "kubernetesVersion")));
      case PUBLIC_IP_TYPE -> properties.put("ipAddress", keep(old, "ipAddress", this::address));
      default -> {
        // other types keep what the client sent
      }
    }
  }

  private void cluster(ArmPath path, ObjectNode body, JsonNode old) {
    ObjectNode properties = body.withObject("properties");
    String location = text(body, "location").replace(" ", "").toLowerCase(Locale.ROOT);
    String prefix = text(properties, "dnsPrefix").isEmpty() ? path.last() : text(properties, "dnsPrefix");
    properties.put("fqdn", keep(old, "fqdn", () -> prefix + "-" + hex(8) + ".hcp." + location + ".azmk8s.io"));
    JsonNode oidc = properties.path("oidcIssuerProfile");
    if (oidc.isObject() && oidc.path("enabled").asBoolean(false)) {
      ((ObjectNode) oidc).put("issuerURL", keep(old.path("oidcIssuerProfile"), "issuerURL",
          () -> "https://" + location + ".oic.prod-aks.azure.com/" + tenantId + "/" + guid() + "/"));
    }
    // The node resource group cannot change once the cluster exists.
    String given = text(properties, "nodeResourceGroup");
    properties.put("nodeResourceGroup", keep(old, "nodeResourceGroup",
        () -> given.isEmpty() ? "MC_" + path.resourceGroup() + "_" + path.last() + "_" + location : given));
    properties.putObject("powerState").put("code", "Running");
  }

  /**
   * AKS's version and size rules: the control plane moves up one minor at a time and never down; a pool runs no
   * newer minor than the control plane, and one whose profile names no version follows the control plane; an
   * existing pool keeps its VM size.
   */
  private void upgrades(ArmStore store, ArmPath path, ObjectNode previous, ObjectNode body) {
    ObjectNode properties = body.withObject("properties");
    String version = text(properties, "kubernetesVersion");
    if (previous != null) {
      String before = text(previous.path("properties"), "kubernetesVersion");
      int[] from = minor(before);
      int[] to = minor(version);
      if (from != null && to != null && (to[1] < from[1] || to[1] > from[1] + 1)) {
        throw new ArmException(400, "UpgradeNotAllowed", "Upgrading Kubernetes version " + before + " to " + version
            + " is not allowed. Available upgrades: " + from[0] + "." + (from[1] + 1) + ". Minor versions cannot be "
            + "skipped and clusters cannot be downgraded.");
      }
    }
    for (JsonNode profile : properties.path("agentPoolProfiles")) {
      ObjectNode p = (ObjectNode) profile;
      JsonNode existing = store.entry(path.id() + "/agentPools/" + text(p, "name"))
          .<JsonNode>map(e -> e.body.path("properties")).orElse(null);
      pool(text(p, "name"), existing, p, version);
    }
  }

  private static void pool(String name, JsonNode existing, ObjectNode pool, String clusterVersion) {
    if (existing != null && !text(existing, "vmSize").isEmpty()
        && !text(existing, "vmSize").equalsIgnoreCase(text(pool, "vmSize"))) {
      throw new ArmException(400, "PropertyChangeNotAllowed", "Changing property 'vmSize' of agent pool " + name
          + " is not allowed.");
    }
    if (text(pool, "orchestratorVersion").isEmpty() && !clusterVersion.isEmpty()) {
      pool.put("orchestratorVersion", clusterVersion);
    }
    int[] own = minor(text(pool, "orchestratorVersion"));
    int[] control = minor(clusterVersion);
    if (own != null && control != null && own[1] > control[1]) {
      throw new ArmException(400, "NodePoolMcVersionIncompatible", "Node pool " + name + " version "
          + text(pool, "orchestratorVersion") + " cannot be newer than the control plane's " + clusterVersion + ".");
    }
  }

  /** Major and minor of {@code 1.36} or {@code 1.36.2}; null otherwise. */
  private static int[] minor(String version) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)(\\.\\d+)?").matcher(version);
    return m.matches() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
  }

  /** Fills in the principal of a system-assigned identity and those of the user-assigned ones referenced. */
  private void identities(ArmStore store, JsonNode before, ObjectNode body) {
    JsonNode identity = body.path("identity");
    if (!identity.isObject()) {
      return;
    }
    ObjectNode node = (ObjectNode) identity;
    if (text(node, "type").toLowerCase(Locale.ROOT).contains("systemassigned")) {
      node.put("principalId", keep(before.path("identity"), "principalId", this::guid));
      node.put("tenantId", tenantId);
    }
    JsonNode assigned = node.path("userAssignedIdentities");
    if (assigned.isObject()) {
      ObjectNode map = (ObjectNode) assigned;
      for (String id : iterable(map)) {
        store.entry(id).ifPresent(e -> map.putObject(id)
            .put("principalId", text(e.body.path("properties"), "principalId"))
            .put("clientId", text(e.body.path("properties"), "clientId")));
      }
    }
  }

  /** A cluster makes its node resource group and shows its inline agent pools as child resources. */
  void afterPut(ArmStore store, ArmStore.Entry entry, ArmStore.Operation op) {
    ObjectNode properties = entry.body.withObject("properties");
    if (ArmStore.CLUSTER_TYPE.equals(entry.typeKey())) {
      store.ensureManagedGroup(entry.path.subscription(), text(properties, "nodeResourceGroup"),
          text(entry.body, "location"), entry.path.id(), entry.body.get("tags"));
      for (JsonNode profile : properties.path("agentPoolProfiles")) {
        ObjectNode pool = profile.deepCopy();
        pool.remove("name");
        pool.put("provisioningState", text(properties, "provisioningState"));
        ArmPath path = ArmPath.parse(entry.path.id() + "/agentPools/" + text(profile, "name"));
        ArmStore.Entry child = store.put(path, json.createObjectNode().set("properties", pool));
        if (op != null) {
          store.follow(child, op);
        }
      }
    } else if (ArmStore.POOL_TYPE.equals(entry.typeKey())) {
      store.entry(entry.path.topLevelId()).ifPresent(cluster -> {
        ObjectNode profile = profilesWithout(cluster, entry.path.last()).addObject().put("name", entry.path.last());
        properties.fields().forEachRemaining(f -> profile.set(f.getKey(), f.getValue().deepCopy()));
        profile.remove("provisioningState");
      });
    }
  }

  void afterDelete(ArmStore store, ArmStore.Entry entry) {
    if (ArmStore.CLUSTER_TYPE.equals(entry.typeKey())) {
      String group = text(entry.body.path("properties"), "nodeResourceGroup");
      store.entry("/subscriptions/" + entry.path.subscription() + "/resourceGroups/" + group)
          .ifPresent(store::remove);
    } else if (ArmStore.POOL_TYPE.equals(entry.typeKey())) {
      store.entry(entry.path.topLevelId()).ifPresent(cluster -> profilesWithout(cluster, entry.path.last()));
    }
  }

  /** Drops the named pool from the cluster's agent pool profiles and returns what is left. */
  private static ArrayNode profilesWithout(ArmStore.Entry cluster, String pool) {
    ObjectNode properties = cluster.body.withObject("properties");
    ArrayNode kept = properties.arrayNode();
    for (JsonNode profile : properties.path("agentPoolProfiles")) {
      if (!text(profile, "name").equalsIgnoreCase(pool)) {
        kept.add(profile);
      }
    }
    properties.set("agentPoolProfiles", kept);
    return kept;
  }

  /** A peering is Connected once the remote network in this fake peers back, Initiated until then. */
  void onRead(ArmStore store, ArmStore.Entry entry, ObjectNode view) {
    if (!PEERING_TYPE.equals(entry.typeKey())) {
      return;
    }
    ObjectNode properties = view.withObject("properties");
    String local = entry.path.topLevelId();
    String remote = text(properties.path("remoteVirtualNetwork"), "id");
    boolean back = !store.entries(e -> PEERING_TYPE.equals(e.typeKey())
        && e.path.topLevelId().equalsIgnoreCase(remote)
        && text(e.body.path("properties").path("remoteVirtualNetwork"), "id").equalsIgnoreCase(local)).isEmpty();
    properties.put("peeringState", back ? "Connected" : "Initiated");
    properties.put("peeringSyncLevel", back ? "FullyInSync" : "RemoteNotInSync");
  }

  /** POST actions; only the cluster credential lists are served. */
  JsonNode action(ArmStore.Entry target, String action) {
    String name = action.toLowerCase(Locale.ROOT);
    if (!ArmStore.CLUSTER_TYPE.equals(target.typeKey()) || !name.startsWith("listcluster")
        || !name.endsWith("credential")) {
      throw new ArmException(404, "NotFound", "This fake does not serve the action '" + action + "' on "
          + target.path.type());
    }
    String user = (name.contains("admin") ? "clusterAdmin_" : "clusterUser_") + target.path.resourceGroup() + "_"
        + target.path.last();
    String kubeconfig = kubeconfig(target.path.last(), user);
    ObjectNode answer = json.createObjectNode();
    answer.putArray("kubeconfigs").addObject().put("name", name.contains("admin") ? "clusterAdmin" : "clusterUser")
        .put("value", Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)));
    return answer;
  }

  private String kubeconfig(String cluster, String user) {
    String server = kubernetesApiServer == null ? PLACEHOLDER_SERVER
        : kubernetesApiServer.toString().replaceAll("/+$", "");
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: " + cluster + "\n"
        + "  cluster:\n"
        + "    server: " + server + "\n"
        + "contexts:\n"
        + "- name: " + cluster + "\n"
        + "  context:\n"
        + "    cluster: " + cluster + "\n"
        + "    user: " + user + "\n"
        + "current-context: " + cluster + "\n"
        + "preferences: {}\n"
        + "users:\n"
        + "- name: " + user + "\n"
        + "  user:\n"
        + "    token: fake-token-" + hex(16) + "\n";
  }

  private static String keep(JsonNode old, String field, Supplier<String> fresh) {
    String value = text(old, field);
    return value.isEmpty() ? fresh.get() : value;
  }

  private String guid() {
    return new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L,
        random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L).toString();
  }

  private String hex(int length) {
    StringBuilder s = new StringBuilder();
    while (s.length() < length) {
      s.append(Integer.toHexString(random.nextInt(16)));
    }
    return s.toString();
  }

  private String address() {
    for (String prefix : ADDRESS_PREFIXES) {
      List<String> free = IntStream.range(1, 255).mapToObj(i -> prefix + i).filter(a -> !usedAddresses.contains(a))
          .toList();
      if (!free.isEmpty()) {
        String picked = free.get(random.nextInt(free.size()));
        usedAddresses.add(picked);
        return picked;
      }
    }
    throw new ArmException(400, "PublicIPCountLimitReached", "This fake has no public address left.");
  }

  private static Iterable<String> iterable(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
