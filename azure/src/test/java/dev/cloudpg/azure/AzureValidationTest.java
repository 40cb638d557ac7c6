package dev.cloudpg.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.Stack;
import dev.cloudpg.Violation;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Bad input is refused before any request, naming the field and the value. */
class AzureValidationTest {
  private final AtomicInteger requests = new AtomicInteger();
  private final HttpClient counting = new HttpClient() {
    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
      requests.incrementAndGet();
      return Mono.error(new IllegalStateException("no request expected"));
    }
  };
  private final TokenCredential token = request -> Mono.just(new AccessToken("t", OffsetDateTime.MAX));

  private AzureCloud cloud() {
    return AzureCloud.builder().subscription("00000000-0000-0000-0000-000000000001").region("westus3")
        .credential(token).httpClient(counting).build();
  }

  private static Stack.Builder stack(PostgresCluster db) {
    return Stack.builder().name("pg").addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build())
        .addDatabases(db);
  }

  @Test
  void plan_whenADatabaseIsNamedAfterAnothersInsightsRule_refusesNamingItAndSendsNothing() {
    Stack stack = stack(PostgresCluster.builder().name("pg").network("aks").build())
        .addDatabases(PostgresCluster.builder().name("pg-insights").network("aks").build()).build();

    try (AzureCloud cloud = cloud()) {
      assertThatThrownBy(() -> cloud.plan(stack)).isInstanceOfSatisfying(InvalidSpecException.class, e ->
          assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("databases[pg-insights].name");
            assertThat(v.problem()).contains("database pg's container insights rule");
          }));
    }
    assertThat(requests).hasValue(0);
  }

  @Test
  void plan_whenNamesAndSettingsBreakAzureRules_listsEveryProblemAndSendsNothing() {
    PostgresCluster db = PostgresCluster.builder().name("pg").network("aks").port(5433).instances(3)
        .addOptions(AksOptions.builder().storageAccountName("Backups_1").zones("1", "4")
            .addAuthorizedIpRanges("203.0.113.7").postgresPool(1, 2).storageSize("lots").build())
        .build();
    Stack stack = stack(db).addPeerings(Peering.builder().name("app").network("aks")
        .peer(PeerNetwork.awsVpc("vpc-1")).build()).build();

    try (AzureCloud cloud = cloud()) {
      assertThatThrownBy(() -> cloud.plan(stack)).isInstanceOfSatisfying(InvalidSpecException.class, e ->
          assertThat(e.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
              "databases[pg].port", "databases[pg].options.storageAccountName", "databases[pg].options.zones",
              "databases[pg].options.authorizedIpRanges", "databases[pg].instances",
              "databases[pg].options.storageSize", "peerings[app].peer.kind"));
    }
    assertThat(requests).hasValue(0);
  }

  @Test
  void plan_whenPeerNamesAreMalformedAndGrafanaNamesCollide_namesEachAndSendsNothing() {
    Stack stack = Stack.builder().name("pg")
        .addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build())
        .addDatabases(PostgresCluster.builder().name("orders-eu-west-primary").network("aks").build())
        .addDatabases(PostgresCluster.builder().name("orders-eu-west-primary-2").network("aks").build())
        .addPeerings(Peering.builder().name("app").network("aks")
            .peer(PeerNetwork.azureVnet("not-a-guid", "rg/../x", "vnet/evil")).build())
        .build();

    try (AzureCloud cloud = cloud()) {
      assertThatThrownBy(() -> cloud.plan(stack)).isInstanceOfSatisfying(InvalidSpecException.class, e ->
          assertThat(e.violations()).extracting(Violation::path).contains("peerings[app].peer.subscription",
              "peerings[app].peer.resourceGroup", "peerings[app].peer.reference",
              "databases[orders-eu-west-primary-2].name"));
    }
    assertThat(requests).hasValue(0);
  }

  @Test
  void plan_whenNetworkOverlapsAksPodAddresses_refusesWithTheReservedBlock() {
    Stack stack = Stack.builder().name("pg")
        .addNetworks(Network.builder().name("aks").cidr("10.244.0.0/20").build()).build();

    try (AzureCloud cloud = cloud()) {
      assertThatThrownBy(() -> cloud.plan(stack)).isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("networks[aks].cidr").hasMessageContaining("10.244.0.0/16");
    }
    assertThat(requests).hasValue(0);
  }

  @Test
  void build_whenSubscriptionIsNoGuidAndRegionMissing_namesBoth() {
    assertThatThrownBy(() -> AzureCloud.builder().subscription("my-sub").credential(token).build())
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("subscription")
        .hasMessageContaining("my-sub").hasMessageContaining("region");
  }

  private void assertRefused(AksOptions options, String... paths) {
    PostgresCluster db = PostgresCluster.builder().name("pg").network("aks").instances(3).addOptions(options).build();
    try (AzureCloud cloud = cloud()) {
      assertThatThrownBy(() -> cloud.plan(stack(db).build())).isInstanceOfSatisfying(InvalidSpecException.class,
          e -> assertThat(e.violations()).extracting(Violation::path).containsExactlyInAnyOrder(paths));
    }
    assertThat(requests).hasValue(0);
  }

  @Test
  void plan_whenKubernetesIsOutsideCnpgsSupportTable_refusesThePairAndSendsNothing() {
    assertRefused(AksOptions.builder().cnpgVersion("1.30.0").kubernetesVersion("1.32").build(),
        "databases[pg].options.kubernetesVersion");
  }

  @Test
  void plan_whenInTreeBackupIsAskedOfCnpg132_refusesItAndSendsNothing() {
    assertRefused(AksOptions.builder().cnpgVersion("1.32.0").inTreeBackup(true).build(),
        "databases[pg].options.cnpgVersion", "databases[pg].options.inTreeBackup");
  }

  @Test
  void plan_whenTheBackupScheduleIsNotSixFields_refusesItAndSendsNothing() {
    assertRefused(AksOptions.builder().backupSchedule("0 0 * * *").build(), "databases[pg].options.backupSchedule");
  }
}
