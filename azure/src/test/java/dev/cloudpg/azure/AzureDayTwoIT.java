package dev.cloudpg.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudpg.Change;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.Network;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.VirtualClock;
import dev.cloudpg.testkit.azure.ArmRequest;
import dev.cloudpg.testkit.azure.FakeArm;
import dev.cloudpg.testkit.azure.FakeKubernetes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Changes after the first apply, made in the spec or out of band, against FakeArm and FakeKubernetes. */
class AzureDayTwoIT {
  private AzureCloudIT.Fakes fakes;
  private VirtualClock clock;
  private FakeArm arm;
  private FakeKubernetes kube;
  private AzureCloud cloud;

  @BeforeEach
  void start() {
    fakes = AzureCloudIT.Fakes.start();
    clock = fakes.clock();
    arm = fakes.arm();
    kube = fakes.kube();
    cloud = fakes.cloud();
  }

  @AfterEach
  void stop() {
    fakes.close();
  }

  private Stack stack(AksOptions.Builder options) {
    return Stack.builder().name("pg")
        .addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build())
        .addDatabases(PostgresCluster.builder().name("pg").network("aks").instances(3).databaseName("app")
            .masterUsername("app").addOptions(options.cnpgManifest(kube.operatorManifest())
                .barmanPluginManifest(kube.barmanPluginManifest()).certManagerManifest(kube.certManagerManifest())
                .build())
            .build())
        .build();
  }

  private Stack stack() {
    return stack(AksOptions.builder());
  }

  /** The changes of a plan that are not NOOP. */
  private static List<Change> changes(Plan plan) {
    return plan.changes().stream().filter(c -> c.action() != ChangeAction.NOOP).toList();
  }

  /** The writes to the stack's resources, without those of its lease. */
  private List<ArmRequest> writesSince(int from) {
    return arm.requests().subList(from, arm.requests().size()).stream()
        .filter(r -> r.mutating() && !r.path().contains("/rg-cloudpg-leases")).toList();
  }

  /** A PUT of a changed copy of a resource, as someone in the portal would make it, then time for it to finish. */
  private void changeOutOfBand(String type, String apiVersion, Consumer<ObjectNode> change) throws Exception {
    JsonNode current = arm.resources(type).get(0);
    ObjectNode body = (ObjectNode) current.deepCopy();
    ((ObjectNode) body.get("properties")).remove("provisioningState");
    change.accept(body);
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        arm.endpoint() + current.get("id").asText() + "?api-version=" + apiVersion))
        .header("Authorization", "Bearer portal").header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isLessThan(300);
    clock.advanceTo(clock.now().plus(Duration.ofMinutes(10)));
  }

  @Test
  void apply_whenGrafanaChangedOutOfBand_plansOneUpdateAndSendsOnlyItsPut() throws Exception {
    cloud.apply(stack());
    changeOutOfBand("Microsoft.Dashboard/grafana", "2023-09-01",
        body -> ((ObjectNode) body.get("properties")).put("zoneRedundancy", "Disabled"));

    Plan plan = cloud.plan(stack());
    int before = arm.requests().size();
    cloud.apply(plan);

    assertThat(changes(plan)).singleElement().satisfies(c -> {
      assertThat(c.resource()).isEqualTo(ResourceKey.parse("azure:grafana/pg"));
      assertThat(c.action()).isEqualTo(ChangeAction.UPDATE);
      assertThat(c.reason()).contains("properties.zoneRedundancy is \"Disabled\", declared \"Enabled\"");
    });
    assertThat(writesSince(before)).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("PUT");
      assertThat(r.path()).endsWith("/grafana/" + arm.resources("Microsoft.Dashboard/grafana").get(0).get("name")
          .asText());
    });
    assertThat(arm.resources("Microsoft.Dashboard/grafana").get(0).at("/properties/zoneRedundancy").asText())
        .isEqualTo("Enabled");
    assertThat(changes(cloud.plan(stack()))).isEmpty();
  }

  @Test
  void plan_whenADataCollectionRuleLostADestinationOutOfBand_plansItsUpdate() throws Exception {
    cloud.apply(stack());
    changeOutOfBand("Microsoft.Insights/dataCollectionRules", "2022-06-01",
        body -> ((ObjectNode) body.get("properties")).putArray("dataFlows"));

    assertThat(changes(cloud.plan(stack()))).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo(ChangeAction.UPDATE);
      assertThat(c.reason()).contains("properties.dataFlows has 0 entries, declared 1");
    });
  }
}
