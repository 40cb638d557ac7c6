package dev.cloudpg.mst.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudpg.ProviderException;
import dev.cloudpg.Secret;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.VirtualClock;
import dev.cloudpg.testkit.mst.AivenRequest;
import dev.cloudpg.testkit.mst.FakeAiven;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AivenClientTest {
  private static final String PROJECT = "proj-1";
  private static final String CLOUD = "azure-westeurope";
  private static final AzurePeer PEER = new AzurePeer("0b5c6d2e-1111-4222-8333-944455566677", "rg-app", "vnet-app");

  private final VirtualClock time = TimeSource.virtual(Instant.parse("2030-01-01T00:00:00Z"));
  private final Set<String> azurePeered = ConcurrentHashMap.newKeySet();
  private FakeAiven aiven;
  private AivenClient client;

  @BeforeEach
  void start() {
    aiven = FakeAiven.builder().time(time).azurePeered(azurePeered::contains).build();
    client = AivenClient.create(aiven.apiBase(), aiven.token());
  }

  @AfterEach
  void stop() {
    aiven.close();
  }

  @Test
  void createVpc_whenBuilt_isListedAndReadActive() {
    AivenVpc created = client.createVpc(PROJECT, CLOUD, "10.20.0.0/24");
    assertThat(created.state()).isEqualTo("APPROVED");

    time.sleep(Duration.ofSeconds(20));

    assertThat(client.listVpcs(PROJECT)).singleElement()
        .satisfies(vpc -> assertThat(vpc.projectVpcId()).isEqualTo(created.projectVpcId()));
    assertThat(client.getVpc(PROJECT, created.projectVpcId())).get()
        .satisfies(vpc -> {
          assertThat(vpc.state()).isEqualTo("ACTIVE");
          assertThat(vpc.cloudName()).isEqualTo(CLOUD);
          assertThat(vpc.networkCidr()).isEqualTo("10.20.0.0/24");
          assertThat(vpc.peeringConnections()).isEmpty();
        });
  }

  @Test
  void getVpc_whenMissing_isEmpty() {
    assertThat(client.getVpc(PROJECT, "5f0c1b9e-0000-4000-8000-000000000000")).isEmpty();
  }

  @Test
  void deleteVpc_whenPresentThenGone_answersTrueThenFalse() {
    String id = activeVpc();

    assertThat(client.deleteVpc(PROJECT, id)).isTrue();
    assertThat(client.getVpc(PROJECT, id)).get().extracting(AivenVpc::state).isEqualTo("DELETING");
    time.sleep(Duration.ofSeconds(10));
    assertThat(client.deleteVpc(PROJECT, id)).isFalse();
  }

  @Test
  void createAzurePeering_whenSent_omitsPeerRegionAndCarriesAzureFields() {
    String vpc = activeVpc();

    AivenPeering created = client.createAzurePeering(PROJECT, vpc, request(PEER));

    assertThat(created.state()).isEqualTo("APPROVED");
    assertThat(created.stateMessage()).isEmpty();
    assertThat(created.toNetworkId()).isEmpty();
    String body = lastRequest("POST").body();
    assertThat(body).doesNotContain("peer_region")
        .contains("\"peer_cloud_account\":\"" + PEER.subscriptionId() + "\"", "\"peer_vpc\":\"vnet-app\"",
            "\"peer_resource_group\":\"rg-app\"", "\"peer_azure_app_id\":\"app-1\"",
            "\"peer_azure_tenant_id\":\"tenant-1\"", "\"user_peer_network_cidrs\":[\"10.1.0.0/16\"]");
  }

  @Test
  void findAzurePeering_whenPendingPeer_exposesTargetTenantAndNetwork() {
    String vpc = activeVpc();
    client.createAzurePeering(PROJECT, vpc, request(PEER));
    time.sleep(Duration.ofSeconds(10));

    AivenPeering pending = client.findAzurePeering(PROJECT, vpc, PEER).orElseThrow();

    assertThat(pending.state()).isEqualTo("PENDING_PEER");
    assertThat(pending.toTenantId()).hasValue(aiven.mstTenantId());
    assertThat(pending.toNetworkId()).hasValue(aiven.mstNetworkId(vpc));
    assertThat(pending.stateType()).isPresent();

    azurePeered.add(aiven.mstNetworkId(vpc));
    client.findAzurePeering(PROJECT, vpc, PEER);
    time.sleep(Duration.ofSeconds(10));
    assertThat(client.findAzurePeering(PROJECT, vpc, PEER)).get().extracting(AivenPeering::state)
        .isEqualTo("ACTIVE");
  }

  @Test
  void findAzurePeering_whenOnlyAnotherPeerOrNoVpc_isEmpty() {
    String vpc = activeVpc();
    client.createAzurePeering(PROJECT, vpc, request(PEER));

    assertThat(client.findAzurePeering(PROJECT, vpc, new AzurePeer(PEER.subscriptionId(), "rg-app", "vnet-other")))
        .isEmpty();
    assertThat(client.findAzurePeering(PROJECT, "5f0c1b9e-0000-4000-8000-000000000000", PEER)).isEmpty();
  }

  @Test
  void findAzurePeering_whenInvalidSpecification_exposesReason() {
    String vpc = activeVpc();
    aiven.failPeeringWith("INVALID_SPECIFICATION", "Peer VNet vnet-app does not exist");
    client.createAzurePeering(PROJECT, vpc, request(PEER));
    time.sleep(Duration.ofSeconds(10));

    AivenPeering failed = client.findAzurePeering(PROJECT, vpc, PEER).orElseThrow();

    assertThat(failed.state()).isEqualTo("INVALID_SPECIFICATION");
    assertThat(failed.stateMessage()).hasValue("Peer VNet vnet-app does not exist");
  }

  @Test
  void createAzurePeering_whenUpperCaseVnet_throwsBadRequestWithAivensMessage() {
    String vpc = activeVpc();

    assertThatThrownBy(() -> client.createAzurePeering(PROJECT, vpc,
        request(new AzurePeer(PEER.subscriptionId(), "rg-app", "VNet-App"))))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.provider()).isEqualTo("mst");
          assertThat(e.httpStatus()).isEqualTo(400);
          assertThat(e.errorCode()).isEqualTo("BAD_REQUEST");
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("lower case");
        });
    assertThat(aiven.requests()).filteredOn(r -> r.method().equals("POST") && r.path().endsWith("/peering-connections"))
        .as("sent once").hasSize(1);
  }

  @Test
  void deleteAzurePeering_whenPresent_encodesEachSegmentAndAnswersTrueThenFalse() {
    String vpc = activeVpc();
    client.createAzurePeering(PROJECT, vpc, request(PEER));

    assertThat(client.deleteAzurePeering(PROJECT, vpc, PEER)).isTrue();
    assertThat(lastRequest("DELETE").path()).isEqualTo("/v1/project/proj-1/vpcs/" + vpc
        + "/peering-connections/peer-accounts/" + PEER.subscriptionId()
        + "/peer-resource-groups/rg-app/peer-vpcs/vnet-app");
    time.sleep(Duration.ofSeconds(5));
    assertThat(client.deleteAzurePeering(PROJECT, vpc, PEER)).isFalse();
  }

  @Test
  void path_whenSegmentHasReservedCharacters_encodesThemSoTheyStayOneSegment() {
    assertThat(AivenClient.path("project", "a b/c+d?")).isEqualTo("/project/a%20b%2Fc%2Bd%3F");
  }

  @Test
  void createService_whenBuilt_runsWithHostPortAndSecretUri() {
    String vpc = activeVpc();
    AivenService created = client.createService(PROJECT, new AivenServiceRequest("db1", "timescale-basic", CLOUD,
        vpc, "16", false, Map.of("cloudpg:stack", "shop")));
    assertThat(created.state()).isEqualTo("REBUILDING");
    assertThat(lastRequest("POST").body()).contains("\"service_type\":\"pg\"",
        "\"user_config\":{\"variant\":\"timescale\",\"pg_version\":\"16\"}", "\"termination_protection\":false",
        "\"tags\":{\"cloudpg:stack\":\"shop\"}");
    assertThat(created.tags()).containsEntry("cloudpg:stack", "shop");

    time.sleep(Duration.ofSeconds(40));
    AivenService running = client.getService(PROJECT, "db1").orElseThrow();

    assertThat(running.running()).isTrue();
    assertThat(running.host()).hasValue("db1-proj-1.a.timescaledb.io");
    assertThat(running.port()).hasValue(12345);
    assertThat(running.projectVpcId()).hasValue(vpc);
    String uri = running.serviceUri().map(Secret::reveal).orElseThrow();
    assertThat(uri).startsWith("postgres://tsdbadmin:");
    String password = uri.substring("postgres://tsdbadmin:".length(), uri.indexOf('@'));
    assertThat(running.toString()).doesNotContain(password);
  }

  @Test
  void listServices_whenTagsReplaced_listsEachServiceWithItsTags() {
    String vpc = activeVpc();
    client.createService(PROJECT, new AivenServiceRequest("db1", "startup-4", CLOUD, vpc, "16", false,
        Map.of("team", "a")));
    client.createService(PROJECT, new AivenServiceRequest("db2", "startup-4", CLOUD, vpc, "16", false, Map.of()));

    client.replaceServiceTags(PROJECT, "db2", Map.of("cloudpg:stack", "shop", "cloudpg:key", "mst:service/db2"));

    assertThat(lastRequest("PUT").path()).isEqualTo("/v1/project/proj-1/service/db2/tags");
    assertThat(client.listServices(PROJECT)).extracting(AivenService::serviceName, AivenService::tags)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("db1", Map.of("team", "a")),
            org.assertj.core.groups.Tuple.tuple("db2", Map.of("cloudpg:stack", "shop", "cloudpg:key",
                "mst:service/db2")));
  }

  @Test
  void createService_whenATagKeyBreaksAivensRules_isRefusedWith400() {
    String vpc = activeVpc();

    assertThatThrownBy(() -> client.createService(PROJECT, new AivenServiceRequest("db1", "startup-4", CLOUD, vpc,
        "16", false, Map.of("a b", "x"))))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
    assertThat(client.getService(PROJECT, "db1")).isEmpty();
  }

  @Test
  void updateService_whenPlanAndVersionChange_rebuildsThenRunsTheNewPlanAndRefusesADowngrade() {
    String vpc = activeVpc();
    client.createService(PROJECT, new AivenServiceRequest("db1", "hobbyist", CLOUD, vpc, "16", false, Map.of()));
    time.sleep(Duration.ofSeconds(40));

    AivenService changing = client.updateService(PROJECT, "db1", "business-4", "17");

    assertThat(lastRequest("PUT").body())
        .isEqualTo("{\"plan\":\"business-4\",\"user_config\":{\"pg_version\":\"17\"}}");
    assertThat(changing.state()).isEqualTo("REBUILDING");
    assertThat(changing.host()).as("it keeps serving").isPresent();
    time.sleep(Duration.ofSeconds(40));
    AivenService running = client.getService(PROJECT, "db1").orElseThrow();
    assertThat(running.running()).isTrue();
    assertThat(running.plan()).isEqualTo("business-4");
    assertThat(running.pgVersion()).isEqualTo("17");
    assertThatThrownBy(() -> client.updateService(PROJECT, "db1", "business-4", "16"))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(400);
          assertThat(e.getMessage()).contains("Downgrading");
        });
    assertThat(client.getService(PROJECT, "db1").orElseThrow().pgVersion()).isEqualTo("17");
  }

  @Test
  void getService_whenMissing_isEmpty() {
    assertThat(client.getService(PROJECT, "nope")).isEmpty();
  }

  @Test
  void deleteService_whenTerminationProtected_refusedUntilProtectionOff() {
    String vpc = activeVpc();
    client.createService(PROJECT, new AivenServiceRequest("db1", "timescale-basic", CLOUD, vpc, "16", true,
        Map.of()));

    assertThatThrownBy(() -> client.deleteService(PROJECT, "db1"))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(403);
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("termination protection");
        });

    assertThat(client.setTerminationProtection(PROJECT, "db1", false).terminationProtection()).isFalse();
    assertThat(lastRequest("PUT").path()).isEqualTo("/v1/project/proj-1/service/db1");
    assertThat(client.deleteService(PROJECT, "db1")).isTrue();
    assertThat(client.deleteService(PROJECT, "db1")).isFalse();
  }

  @Test
  void send_whenThrottledWithRetryAfter_sendsOnceAndThrowsRetryable() {
    aiven.failNext("GET", "/v1/project/[^/]+/vpcs", 429, "Too many requests", 1);

    assertThatThrownBy(() -> client.listVpcs(PROJECT))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.httpStatus()).isEqualTo(429);
          assertThat(e.errorCode()).isEqualTo("TOO_MANY_REQUESTS");
        });
    assertThat(aiven.requests()).hasSize(1);
    assertThat(client.listVpcs(PROJECT)).as("the next call, made by the caller").isEmpty();
  }

  @Test
  void send_whenServerErrorPersists_sendsOnceAndThrowsRetryable() {
    aiven.failNext("GET", "/v1/project/[^/]+/vpcs", 500, "Internal server error", 10);

    assertThatThrownBy(() -> client.listVpcs(PROJECT))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.httpStatus()).isEqualTo(500);
          assertThat(e.errorCode()).isEqualTo("INTERNAL_SERVER_ERROR");
        });

    assertThat(aiven.requests()).extracting(AivenRequest::status).containsExactly(500);
  }

  @Test
  void send_whenCreateAnswersServerError_doesNotResendThePost() {
    aiven.failNext("POST", "/v1/project/[^/]+/vpcs", 503, "Service unavailable", 1);

    assertThatThrownBy(() -> client.createVpc(PROJECT, CLOUD, "10.20.0.0/24"))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue());

    assertThat(aiven.requests()).extracting(r -> r.method() + " " + r.status()).containsExactly("POST 503");
  }

  @Test
  void send_whenNotImplemented_throwsNotRetryable() {
    aiven.failNext("GET", "/v1/project/[^/]+/vpcs", 501, "Not implemented", 1);

    assertThatThrownBy(() -> client.listVpcs(PROJECT))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isFalse());
    assertThat(aiven.requests()).hasSize(1);
  }

  @Test
  void send_whenTokenWrong_throwsUnauthorizedWithoutTheToken() {
    AivenClient wrong = AivenClient.create(aiven.apiBase(), Secret.of("wrong-token-value"));

    assertThatThrownBy(() -> wrong.listVpcs(PROJECT))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(401);
          assertThat(e.errorCode()).isEqualTo("UNAUTHORIZED");
        })
        .message().doesNotContain("wrong-token-value").doesNotContain(aiven.token().reveal());
  }

  @Test
  void send_whenNothingListens_throwsRetryableConnectionFailure() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    AivenClient offline = AivenClient.create(URI.create("http://127.0.0.1:" + port + "/v1"), Secret.of("t"));

    assertThatThrownBy(() -> offline.listVpcs(PROJECT))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("CONNECTION_FAILED");
          assertThat(e.retryable()).isTrue();
        })
        .message().doesNotContain("aivenv1");
  }

  @Test
  void requests_always_carryAivenTokenHeaderButLogNoToken() {
    client.listVpcs(PROJECT);

    assertThat(aiven.requests()).singleElement().extracting(AivenRequest::status).isEqualTo(200);
    assertThat(aiven.requests().toString()).doesNotContain(aiven.token().reveal());
  }

  private String activeVpc() {
    String id = client.createVpc(PROJECT, CLOUD, "10.20.0.0/24").projectVpcId();
    time.sleep(Duration.ofSeconds(20));
    return id;
  }

  private static AzurePeeringRequest request(AzurePeer peer) {
    return new AzurePeeringRequest(peer, "app-1", "tenant-1", List.of("10.1.0.0/16"));
  }

  private AivenRequest lastRequest(String method) {
    List<AivenRequest> matching = aiven.requests().stream().filter(r -> r.method().equals(method)).toList();
    return matching.get(matching.size() - 1);
  }
}
