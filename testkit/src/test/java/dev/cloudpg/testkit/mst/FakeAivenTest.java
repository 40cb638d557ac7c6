package dev.cloudpg.testkit.mst;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeAivenTest {
  private static final String PEERING = "{\"peer_cloud_account\":\"sub-1\",\"peer_resource_group\":\"rg-app\","
      + "\"peer_vpc\":\"vnet-app\",\"peer_azure_app_id\":\"app-1\",\"peer_azure_tenant_id\":\"tenant-1\","
      + "\"user_peer_network_cidrs\":[]}";
  private static final String PEERING_PATH =
      "/project/p1/vpcs/%s/peering-connections/peer-accounts/sub-1/peer-resource-groups/rg-app/peer-vpcs/vnet-app";

  private final ManualTime time = new ManualTime();
  private final Set<String> azurePeerings = ConcurrentHashMap.newKeySet();
  private FakeAiven aiven;
  private JsonHttp http;

  @BeforeEach
  void start() {
    aiven = FakeAiven.builder().time(time).azurePeered(azurePeerings::contains).build();
    http = new JsonHttp(aiven.apiBase(), "aivenv1 " + aiven.token().reveal());
  }

  @AfterEach
  void stop() {
    aiven.close();
  }

  @Test
  void apiBase_always_isLoopbackEndingInV1() {
    assertThat(aiven.apiBase().getHost()).isEqualTo("127.0.0.1");
    assertThat(aiven.apiBase().getPath()).isEqualTo("/v1");
  }

  @Test
  void request_whenTokenWrongOrMissing_answers401WithAivenErrorBody() {
    JsonHttp.Response wrong = new JsonHttp(aiven.apiBase(), "aivenv1 nope").send("GET", "/project/p1/vpcs", null);
    JsonHttp.Response missing = new JsonHttp(aiven.apiBase(), null).send("GET", "/project/p1/vpcs", null);

    assertThat(wrong.status()).isEqualTo(401);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(wrong.body().path("errors").path(0).path("status").asInt()).isEqualTo(401);
    assertThat(wrong.body().path("message").asText()).isNotEmpty();
  }

  @Test
  void vpc_whenBuildAndDeletionTimePass_goesApprovedActiveDeletingGone() {
    String id = createActiveVpcWithoutWaiting();
    assertThat(vpcState(id)).isEqualTo("APPROVED");

    time.advance(Duration.ofSeconds(20));
    assertThat(vpcState(id)).isEqualTo("ACTIVE");
    assertThat(http.send("GET", "/project/p1/vpcs", null).body().path("vpcs").path(0).path("state").asText())
        .isEqualTo("ACTIVE");

    assertThat(http.send("DELETE", "/project/p1/vpcs/" + id, null).body().path("state").asText())
        .isEqualTo("DELETING");
    time.advance(Duration.ofSeconds(10));
    assertThat(http.send("GET", "/project/p1/vpcs/" + id, null).status()).isEqualTo(404);
  }

  @Test
  void createVpc_whenProjectsFixedAndProjectUnknown_answers404() {
    try (FakeAiven fixed = FakeAiven.builder().projects("known").build()) {
      JsonHttp client = new JsonHttp(fixed.apiBase(), "aivenv1 " + fixed.token().reveal());
      assertThat(client.send("GET", "/project/other/vpcs", null).status()).isEqualTo(404);
      assertThat(client.send("GET", "/project/known/vpcs", null).status()).isEqualTo(200);
    }
  }

  @Test
  void createPeering_whenNamesHaveUpperCase_answers400() {
    String vpc = activeVpc();
    JsonHttp.Response response = http.send("POST", "/project/p1/vpcs/" + vpc + "/peering-connections",
        PEERING.replace("vnet-app", "VNet-App"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body().path("message").asText()).contains("peer_vpc", "lower case");
  }

  @Test
  void peering_whenApprovedAndAzureSidePeers_goesPendingPeerThenActive() {
    String vpc = activeVpc();
    assertThat(http.send("POST", "/project/p1/vpcs/" + vpc + "/peering-connections", PEERING).body()
        .path("state").asText()).isEqualTo("APPROVED");
    assertThat(peering(vpc).path("state_info").isNull()).isTrue();

    time.advance(Duration.ofSeconds(10));
    JsonNode pending = peering(vpc);
    assertThat(pending.path("state").asText()).isEqualTo("PENDING_PEER");
    assertThat(pending.path("state_info").path("to-tenant-id").asText()).isEqualTo(aiven.mstTenantId());
    String target = pending.path("state_info").path("to-network-id").asText();
    assertThat(target).isEqualTo(aiven.mstNetworkId(vpc))
        .matches("/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Network/virtualNetworks/[^/]+");

    time.advance(Duration.ofMinutes(5));
    assertThat(peering(vpc).path("state").asText()).as("nothing peered on the Azure side yet")
        .isEqualTo("PENDING_PEER");

    azurePeerings.add(target);
    assertThat(peering(vpc).path("state").asText()).isEqualTo("PENDING_PEER");
    time.advance(Duration.ofSeconds(10));
    assertThat(peering(vpc).path("state").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void failPeeringWith_whenNextPeeringApproved_endsInThatStateAndLaterCreateSucceeds() {
    String vpc = activeVpc();
    aiven.failPeeringWith("INVALID_SPECIFICATION", "VNet vnet-app not found");
    http.send("POST", "/project/p1/vpcs/" + vpc + "/peering-connections", PEERING);
    time.advance(Duration.ofSeconds(10));

    JsonNode failed = peering(vpc);
    assertThat(failed.path("state").asText()).isEqualTo("INVALID_SPECIFICATION");
    assertThat(failed.path("state_info").path("message").asText()).isEqualTo("VNet vnet-app not found");

    assertThat(http.send("DELETE", PEERING_PATH.formatted(vpc), null).status()).isEqualTo(200);
    time.advance(Duration.ofSeconds(5));
    assertThat(http.send("POST", "/project/p1/vpcs/" + vpc + "/peering-connections", PEERING).status())
        .isEqualTo(200);
    time.advance(Duration.ofSeconds(10));
    assertThat(peering(vpc).path("state").asText()).isEqualTo("PENDING_PEER");
  }

  @Test
  void rejectByPeer_whenNextPeeringApproved_endsRejectedByPeer() {
    String vpc = activeVpc();
    aiven.rejectByPeer();
    http.send("POST", "/project/p1/vpcs/" + vpc + "/peering-connections", PEERING);
    time.advance(Duration.ofSeconds(10));

    assertThat(peering(vpc).path("state").asText()).isEqualTo("REJECTED_BY_PEER");
  }

  @Test
  void deleteByPeer_whenPeeringLive_marksItDeletedByPeer() {
    String vpc = activeVpc();
    http.send("POST", "/project/p1/vpcs/" + vpc + "/peering-connections", PEERING);

    assertThat(aiven.deleteByPeer("sub-1", "rg-app", "vnet-app")).isEqualTo(1);
    assertThat(peering(vpc).path("state").asText()).isEqualTo("DELETED_BY_PEER");
  }

  @Test
  void createPeering_whenSamePeerAlreadyLive_answers409() {
    String vpc = activeVpc();
    http.send("POST", "/project/p1/vpcs/" + vpc + "/peering-connections", PEERING);

    assertThat(http.send("POST", "/project/p1/vpcs/" + vpc + "/peering-connections", PEERING).status())
        .isEqualTo(409);
  }

  @Test
  void service_whenBuilt_runsWithUriHostAndPort() {
    String vpc = activeVpc();
    JsonNode created = http.send("POST", "/project/p1/service", service(vpc, false)).body().path("service");
    assertThat(created.path("state").asText()).isEqualTo("REBUILDING");

    time.advance(Duration.ofSeconds(40));
    JsonNode running = http.send("GET", "/project/p1/service/db1", null).body().path("service");
    assertThat(running.path("state").asText()).isEqualTo("RUNNING");
    assertThat(running.path("service_uri").asText())
        .matches("postgres://tsdbadmin:[^@]+@db1-p1\\.a\\.timescaledb\\.io:12345/defaultdb\\?sslmode=require");
    assertThat(running.path("service_uri_params").path("host").asText()).isEqualTo("db1-p1.a.timescaledb.io");
  }

  @Test
  void deleteService_whenTerminationProtected_answers403UntilTurnedOff() {
    String vpc = activeVpc();
    http.send("POST", "/project/p1/service", service(vpc, true));

    JsonHttp.Response refused = http.send("DELETE", "/project/p1/service/db1", null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().path("message").asText()).contains("termination protection");

    http.send("PUT", "/project/p1/service/db1", "{\"termination_protection\":false}");
    assertThat(http.send("DELETE", "/project/p1/service/db1", null).status()).isEqualTo(200);
    assertThat(http.send("GET", "/project/p1/service/db1", null).status()).isEqualTo(404);
  }

  @Test
  void deleteVpc_whenServiceInside_answers409() {
    String vpc = activeVpc();
    http.send("POST", "/project/p1/service", service(vpc, false));

    assertThat(http.send("DELETE", "/project/p1/vpcs/" + vpc, null).status()).isEqualTo(409);
  }

  @Test
  void failNext_whenMatching_failsThatManyTimesWithRetryAfterThenAnswersNormally() {
    aiven.failNext("GET", "/v1/project/[^/]+/vpcs", 503, "Service temporarily unavailable", 2);

    JsonHttp.Response first = http.send("GET", "/project/p1/vpcs", null);
    assertThat(first.status()).isEqualTo(503);
    assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(http.send("GET", "/project/p1/vpcs", null).status()).isEqualTo(503);
    assertThat(http.send("GET", "/project/p1/vpcs", null).status()).isEqualTo(200);
  }

  @Test
  void requestLog_always_recordsRequestsWithoutTokenOrPassword(@TempDir Path dir) throws Exception {
    String vpc = activeVpc();
    http.send("POST", "/project/p1/service", service(vpc, false));
    String password = http.send("GET", "/project/p1/service/db1", null).body().path("service")
        .path("service_uri_params").path("password").asText();

    assertThat(aiven.requests()).extracting(AivenRequest::method, AivenRequest::path, AivenRequest::status)
        .contains(org.assertj.core.groups.Tuple.tuple("POST", "/v1/project/p1/service", 200));
    String written = Files.readString(aiven.writeRequestLog(dir));
    assertThat(written).contains("/v1/project/p1/vpcs").doesNotContain(aiven.token().reveal())
        .doesNotContain(password);
  }

  @Test
  void serviceTags_whenReplaced_areServedInTheServiceTheListAndTheirOwnRequest() {
    String vpc = activeVpc();
    http.send("POST", "/project/p1/service", service(vpc, false));

    JsonHttp.Response put = http.send("PUT", "/project/p1/service/db1/tags",
        "{\"tags\":{\"cloudpg:stack\":\"shop\",\"cloudpg:key\":\"mst:service/db1\"}}");

    assertThat(put.status()).isEqualTo(200);
    assertThat(http.send("GET", "/project/p1/service/db1/tags", null).body().path("tags").path("cloudpg:stack")
        .asText()).isEqualTo("shop");
    assertThat(http.send("GET", "/project/p1/service", null).body().path("services").path(0).path("tags")
        .path("cloudpg:key").asText()).isEqualTo("mst:service/db1");
    assertThat(http.send("PUT", "/project/p1/service/db1/tags", "{\"tags\":{\"a b\":\"x\"}}").status())
        .isEqualTo(400);
  }

  @Test
  void updateService_whenPlanOrVersionChanges_rebuildsThenRunsAndRefusesALowerVersion() {
    String vpc = activeVpc();
    http.send("POST", "/project/p1/service", service(vpc, false));
    time.advance(Duration.ofSeconds(40));

    JsonNode changed = http.send("PUT", "/project/p1/service/db1",
        "{\"plan\":\"business-4\",\"user_config\":{\"pg_version\":\"17\"}}").body().path("service");

    assertThat(changed.path("state").asText()).isEqualTo("REBUILDING");
    time.advance(Duration.ofSeconds(40));
    JsonNode running = http.send("GET", "/project/p1/service/db1", null).body().path("service");
    assertThat(running.path("state").asText()).isEqualTo("RUNNING");
    assertThat(running.path("plan").asText()).isEqualTo("business-4");
    assertThat(running.path("user_config").path("pg_version").asText()).isEqualTo("17");
    JsonHttp.Response down = http.send("PUT", "/project/p1/service/db1",
        "{\"user_config\":{\"pg_version\":\"16\"}}");
    assertThat(down.status()).isEqualTo(400);
    assertThat(http.send("GET", "/project/p1/service/db1", null).body().path("service").path("state").asText())
        .isEqualTo("RUNNING");
  }

  private String createActiveVpcWithoutWaiting() {
    return http.send("POST", "/project/p1/vpcs",
        "{\"cloud_name\":\"azure-westeurope\",\"network_cidr\":\"10.20.0.0/24\",\"peering_connections\":[]}")
        .body().path("project_vpc_id").asText();
  }

  private String activeVpc() {
    String id = createActiveVpcWithoutWaiting();
    time.advance(Duration.ofSeconds(20));
    return id;
  }

  private String vpcState(String id) {
    return http.send("GET", "/project/p1/vpcs/" + id, null).body().path("state").asText();
  }

  private JsonNode peering(String vpc) {
    JsonNode peerings = http.send("GET", "/project/p1/vpcs/" + vpc, null).body().path("peering_connections");
    assertThat(peerings).hasSize(1);
    return peerings.path(0);
  }

  private static String service(String vpc, boolean protect) {
    return "{\"service_name\":\"db1\",\"service_type\":\"pg\",\"plan\":\"timescale-basic\",\"cloud\":"
        + "\"azure-westeurope\",\"project_vpc_id\":\"" + vpc + "\",\"user_config\":{\"variant\":\"timescale\"},"
        + "\"termination_protection\":" + protect + "}";
  }
}
