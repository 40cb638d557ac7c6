package dev.cloudpg.mst.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.cloudpg.ProviderException;
import dev.cloudpg.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The part of the Aiven API that Managed Service for TimescaleDB needs: project VPCs, their Azure peering connections
 * and PostgreSQL services. Thread-safe. Each call sends its requests once; failures are {@link ProviderException}s with
 * provider {@code mst}, retryable when Aiven's own client would retry them (see {@link AivenTransport}), for the
 * engine to retry. Reads of one object answer empty when it does not exist, and deletes answer {@code false} when
 * there was nothing to delete.
 */
public final class AivenClient {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final AivenTransport transport;

  private AivenClient(AivenTransport transport) {
    this.transport = transport;
  }

  /** A client of the API at {@code apiBase}, such as {@link AivenSettings#DEFAULT_API_BASE}. */
  public static AivenClient create(URI apiBase, Secret token) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    return new AivenClient(new AivenTransport(apiBase, token, http, JSON));
  }

  /** The project's VPCs, without their peering connections. */
  public List<AivenVpc> listVpcs(String project) {
    JsonNode vpcs = transport.send("GET", path("project", project, "vpcs"), null).path("vpcs");
    List<AivenVpc> result = new ArrayList<>();
    vpcs.forEach(vpc -> result.add(convert(vpc, AivenVpc.class)));
    return result;
  }

  /** Creates a VPC in {@code cloud} (such as {@code azure-westeurope}); it starts {@code APPROVED}. */
  public AivenVpc createVpc(String project, String cloud, String networkCidr) {
    record Body(String cloudName, String networkCidr, List<Object> peeringConnections) {}
    return convert(transport.send("POST", path("project", project, "vpcs"), new Body(cloud, networkCidr, List.of())),
        AivenVpc.class);
  }

  /** The VPC with its peering connections. */
  public Optional<AivenVpc> getVpc(String project, String vpcId) {
    return ifFound(() -> convert(transport.send("GET", path("project", project, "vpcs", vpcId), null),
        AivenVpc.class));
  }

  /** Starts deleting the VPC; it goes {@code DELETING}, then disappears. */
  public boolean deleteVpc(String project, String vpcId) {
    return deleted(() -> transport.send("DELETE", path("project", project, "vpcs", vpcId), null));
  }

  /** Asks Aiven to peer the VPC with an Azure VNet; the connection starts {@code APPROVED}. */
  public AivenPeering createAzurePeering(String project, String vpcId, AzurePeeringRequest request) {
    // No peer_region: Aiven rejects it for Azure, where the VNet's id already says where it is.
    record Body(String peerCloudAccount, String peerResourceGroup, String peerVpc, String peerAzureAppId,
        String peerAzureTenantId, List<String> userPeerNetworkCidrs) {}
    AzurePeer peer = request.peer();
    Body body = new Body(peer.subscriptionId(), peer.resourceGroup(), peer.vnetName(), request.azureAppId(),
        request.azureTenantId(), request.userPeerNetworkCidrs());
    return convert(transport.send("POST", path("project", project, "vpcs", vpcId, "peering-connections"), body),
        AivenPeering.class);
  }

  /**
   * The VPC's peering connection with exactly this Azure peer. Aiven has no request for one connection, so this
   * reads the VPC. A deleted or deleting connection can linger beside a newer one for the same peer; a live one
   * wins.
   */
  public Optional<AivenPeering> findAzurePeering(String project, String vpcId, AzurePeer peer) {
    return getVpc(project, vpcId).flatMap(vpc -> vpc.peeringConnections().stream()
        .filter(peer::matches)
        .min(Comparator.comparingInt(p -> "DELETED".equals(p.state()) ? 2 : "DELETING".equals(p.state()) ? 1 : 0)));
  }

  /** Starts deleting the peering connection with this Azure peer. */
  public boolean deleteAzurePeering(String project, String vpcId, AzurePeer peer) {
    String path = path("project", project, "vpcs", vpcId, "peering-connections", "peer-accounts",
        peer.subscriptionId(), "peer-resource-groups", peer.resourceGroup(), "peer-vpcs", peer.vnetName());
    return deleted(() -> transport.send("DELETE", path, null));
  }

  /** Creates a PostgreSQL service with the TimescaleDB variant; it starts {@code REBUILDING}. */
  public AivenService createService(String project, AivenServiceRequest request) {
    record Body(String serviceName, String serviceType, String plan, String cloud, String projectVpcId,
        Map<String, Object> userConfig, boolean terminationProtection, Map<String, String> tags) {}
    // The tags are in the create itself, so a service whose answer was lost is found by them.
    Body body = new Body(request.serviceName(), "pg", request.plan(), request.cloud(), request.projectVpcId(),
        userConfig(request), request.terminationProtection(), request.tags());
    return service(transport.send("POST", path("project", project, "service"), body));
  }

  private static Map<String, Object> userConfig(AivenServiceRequest request) {
    Map<String, Object> config = new java.util.LinkedHashMap<>();
    config.put("variant", "timescale");
    config.put("pg_version", request.pgVersion());
    return config;
  }

  /** Every service of the project ({@code GET /project/{project}/service}). */
  public List<AivenService> listServices(String project) {
    List<AivenService> result = new ArrayList<>();
    transport.send("GET", path("project", project, "service"), null).path("services")
        .forEach(sv -> result.add(service(JSON_SERVICE.objectNode().set("service", sv))));
    return result;
  }

  private static final com.fasterxml.jackson.databind.node.JsonNodeFactory JSON_SERVICE =
      com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

  public Optional<AivenService> getService(String project, String serviceName) {
    return ifFound(() -> service(transport.send("GET", path("project", project, "service", serviceName), null)));
  }

  /** Turns termination protection on or off; Aiven refuses to delete a protected service. */
  public AivenService setTerminationProtection(String project, String serviceName, boolean on) {
    record Body(boolean terminationProtection) {}
    return service(transport.send("PUT", path("project", project, "service", serviceName), new Body(on)));
  }

  /**
   * Changes the service's plan and PostgreSQL major version in place ({@code user_config.pg_version}); the service
   * keeps serving while it rebuilds, then runs again. Aiven refuses a lower version.
   */
  public AivenService updateService(String project, String serviceName, String plan, String pgVersion) {
    record Body(String plan, Map<String, Object> userConfig) {}
    return service(transport.send("PUT", path("project", project, "service", serviceName),
        new Body(plan, Map.of("pg_version", pgVersion))));
  }

  /** Replaces every tag of the service ({@code PUT .../service/{name}/tags}). */
  public void replaceServiceTags(String project, String serviceName, Map<String, String> tags) {
    record Body(Map<String, String> tags) {}
    transport.send("PUT", path("project", project, "service", serviceName, "tags"), new Body(tags));
  }

  /** Deletes the service and its data; refused with 403 while termination protection is on. */
  public boolean deleteService(String project, String serviceName) {
    return deleted(() -> transport.send("DELETE", path("project", project, "service", serviceName), null));
  }

  private static AivenService service(JsonNode response) {
    ServiceJson s = convert(response.path("service"), ServiceJson.class);
    Map<String, Object> params = s.serviceUriParams() == null ? Map.of() : s.serviceUriParams();
    Optional<String> host = Optional.ofNullable(params.get("host")).map(Object::toString);
    OptionalInt port = Optional.ofNullable(params.get("port")).map(Object::toString)
        .map(p -> OptionalInt.of(Integer.parseInt(p))).orElse(OptionalInt.empty());
    Object version = s.userConfig() == null ? null : s.userConfig().get("pg_version");
    return new AivenService(s.serviceName(), s.serviceType(), s.state(), s.plan(), s.cloudName(),
        Optional.ofNullable(s.projectVpcId()), Boolean.TRUE.equals(s.terminationProtection()), host, port,
        Optional.ofNullable(s.serviceUri()).map(Secret::of), version == null ? "" : version.toString(), s.tags());
  }

  /** The service as sent; only {@link #service} reads it, so its secrets go straight into {@link Secret}s. */
  private record ServiceJson(String serviceName, String serviceType, String state, String plan, String cloudName,
      String projectVpcId, Boolean terminationProtection, String serviceUri, Map<String, Object> serviceUriParams,
      Map<String, Object> userConfig, Map<String, String> tags) {
    @Override
    public String toString() {
      return "ServiceJson[" + serviceName + "]";
    }
  }

  private static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return JSON.treeToValue(node, type);
    } catch (IOException e) {
      // Jackson quotes the input in its message, and a service's input holds its password.
      throw new ProviderException("mst", "INVALID_RESPONSE", "the response is not a " + type.getSimpleName(), null,
          0, false, null);
    }
  }

  private static <T> Optional<T> ifFound(Supplier<T> read) {
    try {
      return Optional.of(read.get());
    } catch (ProviderException e) {
      if (e.httpStatus() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static boolean deleted(Runnable delete) {
    return ifFound(() -> {
      delete.run();
      return true;
    }).orElse(false);
  }

  /** Joins path segments, each percent-encoded on its own so that a name cannot add a segment. */
  static String path(String... segments) {
    StringBuilder path = new StringBuilder();
    for (String segment : segments) {
      path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return path.toString();
  }
}
