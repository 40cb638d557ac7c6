package dev.cloudpg.testkit.mst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@link FakeAiven}'s projects, VPCs, peering connections and services. States are computed from the simulated time
 * whenever an object is read, so nothing runs in the background. Callers hold the lock of the {@link FakeAiven}.
 */
final class AivenModel {
  /** A refusal in Aiven's terms; {@link FakeAiven} renders it as Aiven's error body. */
  static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    ApiError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** The state a peering connection takes after {@code APPROVED}, instead of {@code PENDING_PEER}, once. */
  record PeeringOutcome(String state, String message) {}

  private static final class Vpc {
    final String id = UUID.randomUUID().toString();
    final String cloud;
    final String cidr;
    final Instant created;
    final List<Peering> peerings = new ArrayList<>();
    Instant deleting;

    Vpc(String cloud, String cidr, Instant created) {
      this.cloud = cloud;
      this.cidr = cidr;
      this.created = created;
    }
  }

  private static final class Peering {
    final String id = UUID.randomUUID().toString();
    final ObjectNode request;
    final Instant created;
    final PeeringOutcome outcome;
    final String toNetworkId;
    Instant peerSeen;
    Instant deleting;
    boolean deletedByPeer;

    Peering(ObjectNode request, Instant created, PeeringOutcome outcome, String toNetworkId) {
      this.request = request;
      this.created = created;
      this.outcome = outcome;
      this.toNetworkId = toNetworkId;
    }

    boolean is(String account, String resourceGroup, String vnet) {
      return account.equals(request.path("peer_cloud_account").asText())
          && resourceGroup.equals(request.path("peer_resource_group").asText())
          && vnet.equals(request.path("peer_vpc").asText());
    }
  }

  private static final class Service {
    final String name;
    final String cloud;
    final String vpcId;
    final Instant created;
    final String password = UUID.randomUUID().toString().replace("-", "");
    String plan;
    String pgVersion;
    Map<String, String> tags;
    boolean terminationProtection;
    /** When the last change of plan or version started: the service rebuilds from then. */
    Instant rebuilding;

    Service(String name, String plan, String cloud, String vpcId, Instant created, boolean terminationProtection,
        String pgVersion, Map<String, String> tags) {
      this.name = name;
      this.plan = plan;
      this.cloud = cloud;
      this.vpcId = vpcId;
      this.created = created;
      this.rebuilding = created;
      this.terminationProtection = terminationProtection;
      this.pgVersion = pgVersion;
      this.tags = tags;
    }
  }

  /** Aiven's rules for tag keys: letters, digits and {@code _ - . :}, at most 64 characters. */
  private static final java.util.regex.Pattern TAG_KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final int MAX_TAGS = 25;
  private static final int MAX_TAG_VALUE = 64;

  private static final class Project {
    final Map<String, Vpc> vpcs = new LinkedHashMap<>();
    final Map<String, Service> services = new LinkedHashMap<>();
  }

  private final ObjectMapper json;
  private final Supplier<Instant> now;
  private final AivenDurations durations;
  private final Predicate<String> azurePeered;
  private final String mstTenantId;
  private final String mstSubscriptionId;
  private final Map<String, Project> projects = new LinkedHashMap<>();
  private final boolean fixedProjects;
  private PeeringOutcome nextOutcome;

  /** With {@code fixedProjects} empty, any project name is accepted; otherwise only those. */
  AivenModel(ObjectMapper json, Supplier<Instant> now, AivenDurations durations, Predicate<String> azurePeered,
      String mstTenantId, String mstSubscriptionId, Set<String> fixedProjects) {
    this.json = json;
    this.now = now;
    this.durations = durations;
    this.azurePeered = azurePeered;
    this.mstTenantId = mstTenantId;
    this.mstSubscriptionId = mstSubscriptionId;
    this.fixedProjects = !fixedProjects.isEmpty();
    fixedProjects.forEach(name -> projects.put(name, new Project()));
  }

  void addProject(String name) {
    projects.putIfAbsent(name, new Project());
  }

  /** The project, created on first use unless the fake was given a fixed list. */
  private Project project(String name) {
    if (fixedProjects) {
      Project project = projects.get(name);
      if (project == null) {
        throw new ApiError(404, "Project does not exist");
      }
      return project;
    }
    return projects.computeIfAbsent(name, n -> new Project());
  }

  // VPCs

  JsonNode listVpcs(String projectName) {
    Project project = project(projectName);
    ObjectNode result = json.createObjectNode();
    var list = result.putArray("vpcs");
    for (Vpc vpc : live(project)) {
      list.add(vpcJson(vpc, false));
    }
    return result;
  }

  JsonNode createVpc(String projectName, JsonNode body) {
    Project project = project(projectName);
    String cloud = required(body, "cloud_name");
    String cidr = required(body, "network_cidr");
    for (Vpc other : live(project)) {
      if (other.cloud.equals(cloud) && other.deleting == null) {
        throw new ApiError(409, "Project already has a VPC in cloud " + cloud);
      }
    }
    Vpc vpc = new Vpc(cloud, cidr, now.get());
    project.vpcs.put(vpc.id, vpc);
    return vpcJson(vpc, true);
  }

  JsonNode getVpc(String projectName, String vpcId) {
    return vpcJson(vpc(project(projectName), vpcId), true);
  }

  JsonNode deleteVpc(String projectName, String vpcId) {
    Project project = project(projectName);
    Vpc vpc = vpc(project, vpcId);
    if (project.services.values().stream().anyMatch(s -> s.vpcId.equals(vpcId))) {
      throw new ApiError(409, "Project VPC still has services: delete them first");
    }
    if (vpc.deleting == null) {
      vpc.deleting = now.get();
    }
    return vpcJson(vpc, true);
  }

  String mstNetworkId(String vpcId) {
    String suffix = vpcId.replace("-", "").substring(0, 12);
    return "/subscriptions/" + mstSubscriptionId + "/resourceGroups/mst-vpc-" + suffix
        + "/providers/Microsoft.Network/virtualNetworks/mst-vnet-" + suffix;
  }

  private List<Vpc> live(Project project) {
    project.vpcs.values().removeIf(vpc -> vpc.deleting != null && passed(vpc.deleting, durations.vpcDeletion()));
    return List.copyOf(project.vpcs.values());
  }

  private Vpc vpc(Project project, String vpcId) {
    live(project);
    Vpc vpc = project.vpcs.get(vpcId);
    if (vpc == null) {
      throw new ApiError(404, "Project VPC does not exist");
    }
    return vpc;
  }

  private String vpcState(Vpc vpc) {
    if (vpc.deleting != null) {
      return "DELETING";
    }
    return passed(vpc.created, durations.vpcBuild()) ? "ACTIVE" : "APPROVED";
  }

  private ObjectNode vpcJson(Vpc vpc, boolean withPeerings) {
    ObjectNode node = json.createObjectNode();
    node.put("project_vpc_id", vpc.id);
    node.put("cloud_name", vpc.cloud);
    node.put("network_cidr", vpc.cidr);
    node.put("state", vpcState(vpc));
    node.put("create_time", vpc.created.toString());
    if (withPeerings) {
      var list = node.putArray("peering_connections");
      vpc.peerings.removeIf(p -> p.deleting != null && passed(p.deleting, durations.peeringDeletion()));
      for (Peering peering : vpc.peerings) {
        list.add(peeringJson(peering));
      }
    }
    return node;
  }

  // Peering connections

  JsonNode createPeering(String projectName, String vpcId, JsonNode body) {
    Vpc vpc = vpc(project(projectName), vpcId);
    if (!"ACTIVE".equals(vpcState(vpc))) {
      throw new ApiError(409, "Project VPC is not active yet: its state is " + vpcState(vpc));
    }
    String account = required(body, "peer_cloud_account");
    String resourceGroup = required(body, "peer_resource_group");
    String vnet = required(body, "peer_vpc");
    required(body, "peer_azure_tenant_id");
    for (String field : List.of("peer_vpc", "peer_resource_group", "peer_azure_app_id")) {
      String value = required(body, field);
      if (!value.equals(value.toLowerCase(Locale.ROOT))) {
        throw new ApiError(400, field + " must be lower case");
      }
    }
    if (body.hasNonNull("peer_region")) {
      throw new ApiError(400, "peer_region is not allowed for Azure peering connections");
    }
    if (vpc.peerings.stream().anyMatch(p -> p.is(account, resourceGroup, vnet) && p.deleting == null)) {
      throw new ApiError(409, "Peering connection already exists");
    }
    Peering peering = new Peering(((ObjectNode) body).deepCopy(), now.get(), nextOutcome, mstNetworkId(vpc.id));
    nextOutcome = null;
    vpc.peerings.add(peering);
    return peeringJson(peering);
  }

  JsonNode deletePeering(String projectName, String vpcId, String account, String resourceGroup,
      String vnet) {
    Vpc vpc = vpc(project(projectName), vpcId);
    Peering peering = vpc.peerings.stream().filter(p -> p.is(account, resourceGroup, vnet) && p.deleting == null)
        .findFirst().orElseThrow(() -> new ApiError(404, "Peering connection does not exist"));
    peering.deleting = now.get();
    return peeringJson(peering);
  }

  void nextPeeringOutcome(PeeringOutcome outcome) {
    nextOutcome = outcome;
  }

  /** Marks the live peering connections with this peer {@code DELETED_BY_PEER}; answers how many there were. */
  int deleteByPeer(String account, String resourceGroup, String vnet) {
    int count = 0;
    for (Project project : projects.values()) {
      for (Vpc vpc : project.vpcs.values()) {
        for (Peering peering : vpc.peerings) {
          if (peering.is(account, resourceGroup, vnet) && peering.deleting == null) {
            peering.deletedByPeer = true;
            count++;
          }
        }
      }
    }
    return count;
  }

  private String peeringState(Peering peering) {
    if (peering.deleting != null) {
      return "DELETING";
    }
    if (peering.deletedByPeer) {
      return "DELETED_BY_PEER";
    }
    if (!passed(peering.created, durations.peeringApproval())) {
      return "APPROVED";
    }
    if (peering.outcome != null) {
      return peering.outcome.state();
    }
    if (peering.peerSeen == null && azurePeered.test(peering.toNetworkId)) {
      // Aiven notices the Azure side when it next looks, so the activation delay counts from then.
      peering.peerSeen = now.get();
    }
    return peering.peerSeen != null && passed(peering.peerSeen, durations.peeringActivation()) ? "ACTIVE"
        : "PENDING_PEER";
  }

  private ObjectNode peeringJson(Peering peering) {
    ObjectNode node = peering.request.deepCopy();
    node.putNull("peer_region");
    node.put("peering_connection_id", peering.id);
    node.put("vpc_peering_connection_type", "azure-vnet-peering");
    if (!node.has("user_peer_network_cidrs")) {
      node.putArray("user_peer_network_cidrs");
    }
    String state = peeringState(peering);
    node.put("state", state);
    node.put("create_time", peering.created.toString());
    if (state.equals("PENDING_PEER")
        && !passed(peering.created, durations.peeringApproval().plus(durations.pendingPeerInfo()))) {
      // Aiven has been seen to report PENDING_PEER before MST's tenant and VNet, with no state information at all.
      node.putNull("state_info");
      return node;
    }
    switch (state) {
      case "PENDING_PEER": {
        ObjectNode info = node.putObject("state_info");
        info.put("message", "Waiting for the peering from the Azure VNet to " + peering.toNetworkId);
        info.put("type", "pending-peer");
        info.putArray("warnings");
        info.put("to-tenant-id", mstTenantId);
        info.put("to-network-id", peering.toNetworkId);
        break;
      }
      case "APPROVED":
      case "ACTIVE":
      case "DELETING":
        // Aiven sends no state information in these states: clients must cope with null.
        node.putNull("state_info");
        break;
      default: {
        ObjectNode info = node.putObject("state_info");
        info.put("message", peering.outcome != null ? peering.outcome.message() : "The peer deleted the peering");
        info.put("type", state.toLowerCase(Locale.ROOT).replace('_', '-'));
        info.putArray("warnings");
      }
    }
    return node;
  }

  // Services

  JsonNode createService(String projectName, JsonNode body) {
    Project project = project(projectName);
    String name = required(body, "service_name");
    if (!"pg".equals(required(body, "service_type"))) {
      throw new ApiError(400, "Unsupported service type: " + body.path("service_type").asText());
    }
    String vpcId = required(body, "project_vpc_id");
    Vpc vpc = project.vpcs.get(vpcId);
    if (vpc == null || vpc.deleting != null) {
      throw new ApiError(404, "Project VPC does not exist");
    }
    String cloud = required(body, "cloud");
    if (!cloud.equals(vpc.cloud)) {
      throw new ApiError(400, "Service cloud " + cloud + " differs from the project VPC's cloud " + vpc.cloud);
    }
    if (project.services.containsKey(name)) {
      throw new ApiError(409, "Service name is already in use in this project");
    }
    JsonNode version = body.path("user_config").path("pg_version");
    Service service = new Service(name, required(body, "plan"), cloud, vpcId, now.get(),
        body.path("termination_protection").asBoolean(false), version.isTextual() ? version.asText() : "16",
        tags(body.path("tags")));
    project.services.put(name, service);
    return serviceJson(projectName, service);
  }

  /** {@code GET /v1/project/{project}/service}: every service of the project, as Aiven lists them. */
  JsonNode listServices(String projectName) {
    ObjectNode answer = json.createObjectNode();
    com.fasterxml.jackson.databind.node.ArrayNode list = answer.putArray("services");
    project(projectName).services.values().forEach(sv -> list.add(serviceJson(projectName, sv).get("service")));
    return answer;
  }

  JsonNode getService(String projectName, String name) {
    return serviceJson(projectName, service(project(projectName), name));
  }

  /**
   * {@code PUT /v1/project/{project}/service/{service}}: termination protection, and in place, the plan and
   * {@code user_config.pg_version}, after which the service rebuilds (still serving) and runs again. A lower
   * {@code pg_version} is refused, as Aiven refuses a downgrade.
   */
  JsonNode updateService(String projectName, String name, JsonNode body) {
    Service service = service(project(projectName), name);
    JsonNode version = body.path("user_config").path("pg_version");
    if (!version.isMissingNode() && !version.isTextual()) {
      throw new ApiError(400, "Invalid user_config.pg_version");
    }
    if (version.isTextual() && major(version.asText()) < major(service.pgVersion)) {
      throw new ApiError(400, "Downgrading PostgreSQL from " + service.pgVersion + " to " + version.asText()
          + " is not supported");
    }
    if (body.has("plan") && !body.path("plan").isTextual()) {
      throw new ApiError(400, "Invalid plan");
    }
    boolean rebuild = body.has("plan") && !body.path("plan").asText().equals(service.plan)
        || version.isTextual() && !version.asText().equals(service.pgVersion);
    if (body.has("plan")) {
      service.plan = body.path("plan").asText();
    }
    if (version.isTextual()) {
      service.pgVersion = version.asText();
    }
    if (body.has("termination_protection")) {
      service.terminationProtection = body.path("termination_protection").asBoolean();
    }
    if (rebuild) {
      service.rebuilding = now.get();
    }
    return serviceJson(projectName, service);
  }

  private static int major(String version) {
    try {
      return Integer.parseInt(version.split("\\.")[0]);
    } catch (NumberFormatException e) {
      throw new ApiError(400, "Invalid pg_version " + version);
    }
  }

  /** {@code GET /v1/project/{project}/service/{service}/tags}. */
  JsonNode serviceTags(String projectName, String name) {
    ObjectNode answer = json.createObjectNode();
    ObjectNode tags = answer.putObject("tags");
    service(project(projectName), name).tags.forEach(tags::put);
    return answer;
  }

  /** {@code PUT /v1/project/{project}/service/{service}/tags}: replaces every tag of the service. */
  JsonNode replaceServiceTags(String projectName, String name, JsonNode body) {
    Service service = service(project(projectName), name);
    if (!body.path("tags").isObject()) {
      throw new ApiError(400, "Missing or invalid field tags");
    }
    service.tags = tags(body.path("tags"));
    return json.createObjectNode().put("message", "tags updated");
  }

  /** A request's tags, checked as Aiven checks them. */
  private static Map<String, String> tags(JsonNode tags) {
    Map<String, String> result = new LinkedHashMap<>();
    if (tags.isMissingNode() || tags.isNull()) {
      return result;
    }
    if (!tags.isObject()) {
      throw new ApiError(400, "Invalid field tags: expected an object");
    }
    if (tags.size() > MAX_TAGS) {
      throw new ApiError(400, "Too many tags: at most " + MAX_TAGS);
    }
    tags.fields().forEachRemaining(e -> {
      if (!TAG_KEY.matcher(e.getKey()).matches()) {
        throw new ApiError(400, "Invalid tag key " + e.getKey());
      }
      if (!e.getValue().isTextual() || e.getValue().asText().length() > MAX_TAG_VALUE) {
        throw new ApiError(400, "Invalid value of tag " + e.getKey() + ": a string of at most " + MAX_TAG_VALUE
            + " characters");
      }
      result.put(e.getKey(), e.getValue().asText());
    });
    return result;
  }

  JsonNode deleteService(String projectName, String name) {
    Project project = project(projectName);
    Service service = service(project, name);
    if (service.terminationProtection) {
      throw new ApiError(403, "Service is protected against termination and shutdown."
          + " Remove termination protection first.");
    }
    project.services.remove(name);
    return json.createObjectNode().put("message", "deleted");
  }

  private Service service(Project project, String name) {
    Service service = project.services.get(name);
    if (service == null) {
      throw new ApiError(404, "Service " + name + " does not exist");
    }
    return service;
  }

  private JsonNode serviceJson(String projectName, Service service) {
    String host = service.name + "-" + projectName + ".a.timescaledb.io";
    String port = "12345";
    String uri = "postgres://tsdbadmin:" + service.password + "@" + host + ":" + port
        + "/defaultdb?sslmode=require";
    ObjectNode s = json.createObjectNode();
    s.put("service_name", service.name);
    s.put("service_type", "pg");
    s.put("state", passed(service.rebuilding, durations.serviceBuild()) ? "RUNNING" : "REBUILDING");
    s.put("plan", service.plan);
    s.put("cloud_name", service.cloud);
    s.put("project_vpc_id", service.vpcId);
    s.put("termination_protection", service.terminationProtection);
    s.put("create_time", service.created.toString());
    s.putObject("user_config").put("variant", "timescale").put("pg_version", service.pgVersion);
    ObjectNode tags = s.putObject("tags");
    service.tags.forEach(tags::put);
    s.put("service_uri", uri);
    ObjectNode params = s.putObject("service_uri_params");
    params.put("dbname", "defaultdb");
    params.put("host", host);
    params.put("password", service.password);
    params.put("port", port);
    params.put("sslmode", "require");
    params.put("user", "tsdbadmin");
    ObjectNode info = s.putObject("connection_info");
    info.putArray("pg").add(uri);
    info.putArray("pg_params").add(params.deepCopy());
    ObjectNode result = json.createObjectNode();
    result.set("service", s);
    return result;
  }

  // Helpers

  private boolean passed(Instant since, Duration duration) {
    return !now.get().isBefore(since.plus(duration));
  }

  private static String required(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new ApiError(400, "Missing or invalid field " + field);
    }
    return value.asText();
  }
}
