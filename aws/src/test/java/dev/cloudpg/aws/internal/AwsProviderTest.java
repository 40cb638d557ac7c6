package dev.cloudpg.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.Violation;
import dev.cloudpg.aws.AuroraOptions;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.Violations;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

class AwsProviderTest {
  private final AwsContext aws = new AwsContext("eu-west-1", AnonymousCredentialsProvider.create(),
      UrlConnectionHttpClient.create(), true, null, List.of(), Cidr.parse("10.0.0.0/8"), 20, null);
  private final AwsProvider provider = new AwsProvider(aws);

  @AfterEach
  void close() {
    aws.close();
  }

  private static Stack keycloak(int zones, int instances) {
    return Stack.builder().name("kc")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(zones).build())
        .addDatabases(PostgresCluster.builder().name("keycloak").network("db").instances(instances).build())
        .addPeerings(Peering.builder().name("rosa").network("db").peer(PeerNetwork.awsVpc("vpc-0b72")).build())
        .build();
  }

  private List<Violation> violations(Stack stack) {
    Violations v = new Violations();
    provider.validate(stack, v);
    return v.list();
  }

  @Test
  void expand_whenStackHasDatabaseAndPeering_makesOneResourcePerAwsObject() {
    Map<String, Resource> byKey = provider.expand(keycloak(2, 3)).stream()
        .collect(Collectors.toMap(r -> r.key().toString(), Function.identity()));

    assertThat(byKey.keySet()).containsExactlyInAnyOrder("aws:vpc/db", "aws:subnet/db-a", "aws:subnet/db-b",
        "aws:route-table-association/db-a", "aws:route-table-association/db-b", "aws:security-group/db",
        "aws:db-subnet-group/db", "aws:aurora-cluster/keycloak", "aws:aurora-instance/keycloak-1",
        "aws:aurora-instance/keycloak-2", "aws:aurora-instance/keycloak-3", "aws:vpc-peering/rosa",
        "aws:route/rosa-to-peer", "aws:route/rosa-from-peer", "aws:ingress/rosa");
    assertThat(byKey.get("aws:aurora-instance/keycloak-3").dependencies()).containsExactly(
        ResourceKey.parse("aws:aurora-cluster/keycloak"), ResourceKey.parse("aws:subnet/db-a"));
    assertThat(byKey.get("aws:aurora-instance/keycloak-2").dependencies())
        .contains(ResourceKey.parse("aws:subnet/db-b"));
    assertThat(byKey.get("aws:ingress/rosa").dependencies()).containsExactlyInAnyOrder(
        ResourceKey.parse("aws:vpc-peering/rosa"), ResourceKey.parse("aws:security-group/db"));
    assertThat(byKey.get("aws:subnet/db-b").desired()).containsEntry("cidr", "192.168.32.0/19");
    assertThat(byKey.get("aws:aurora-instance/keycloak-1").desired()).containsEntry("identifier",
        "keycloak-instance-1").containsEntry("instanceClass", "db.r8g.large");
  }

  @Test
  void expand_whenNetworkHoldsNoDatabase_makesNoSubnetGroup() {
    Stack stack = Stack.builder().name("net").addNetworks(Network.builder().name("db").zones(1).build()).build();

    assertThat(provider.expand(stack)).extracting(r -> r.key().type()).doesNotContain("db-subnet-group")
        .contains("vpc", "subnet", "security-group");
    assertThat(violations(stack)).isEmpty();
  }

  @Test
  void slots_whenBlockIsLarge_givesFixedEighthsSoAddingAZoneMovesNothing() {
    assertThat(SubnetResource.slots(Cidr.parse("192.168.0.0/16"), 2).subList(0, 2))
        .isEqualTo(SubnetResource.slots(Cidr.parse("192.168.0.0/16"), 3).subList(0, 2))
        .extracting(Cidr::toString).containsExactly("192.168.0.0/19", "192.168.32.0/19");
    assertThat(SubnetResource.slots(Cidr.parse("10.0.0.0/26"), 2)).extracting(Cidr::toString)
        .containsExactly("10.0.0.0/27", "10.0.0.32/27");
  }

  @Test
  void validate_whenAuroraNetworkHasOneZone_namesZonesField() {
    assertThat(violations(keycloak(1, 2))).singleElement().satisfies(v -> {
      assertThat(v.path()).isEqualTo("networks[db].zones");
      assertThat(v.value()).isEqualTo("1");
      assertThat(v.problem()).contains("two availability zones");
    });
  }

  @Test
  void validate_whenClusterIdentifierTooLongOrMalformed_namesOptionField() {
    Stack stack = Stack.builder().name("kc")
        .addNetworks(Network.builder().name("db").build())
        .addDatabases(PostgresCluster.builder().name("a").network("db")
            .addOptions(AuroraOptions.builder().clusterIdentifier("x".repeat(60)).build()).build())
        .addDatabases(PostgresCluster.builder().name("b").network("db")
            .addOptions(AuroraOptions.builder().clusterIdentifier("bad--name").build()).build())
        .build();

    assertThat(violations(stack)).extracting(Violation::path).containsExactly(
        "databases[a].options.clusterIdentifier", "databases[b].options.clusterIdentifier");
  }

  @Test
  void validate_whenTwoDatabasesShareAnIdentifier_rejectsTheSecond() {
    Stack stack = Stack.builder().name("kc")
        .addNetworks(Network.builder().name("db").build())
        .addDatabases(PostgresCluster.builder().name("a").network("db").build())
        .addDatabases(PostgresCluster.builder().name("b").network("db")
            .addOptions(AuroraOptions.builder().clusterIdentifier("a").build()).build())
        .build();

    assertThat(violations(stack)).extracting(Violation::path).containsExactly("databases[b].name");
  }

  @Test
  void validate_whenPeerRegionMalformed_namesRegionField() {
    Stack stack = Stack.builder().name("kc")
        .addNetworks(Network.builder().name("db").build())
        .addPeerings(Peering.builder().name("app").network("db")
            .peer(PeerNetwork.awsVpc("vpc-1").withRegion("mars")).build())
        .build();

    assertThat(violations(stack)).extracting(Violation::path, Violation::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("peerings[app].peer.region", "mars"));
  }

  @Test
  void instanceClassFor_whenEachSize_mapsToAuroraClass() {
    assertThat(AuroraOptions.instanceClassFor(dev.cloudpg.InstanceSize.MEDIUM)).isEqualTo("db.r8g.large");
    assertThat(AuroraOptions.instanceClassFor(dev.cloudpg.InstanceSize.LARGE)).isEqualTo("db.r8g.xlarge");
    assertThat(AuroraOptions.instanceClassFor(dev.cloudpg.InstanceSize.SMALL)).isEqualTo("db.t4g.medium");
  }

  @Test
  void clients_whenBuilt_makeOneAttemptPerCallWithinTheTimeout() {
    for (var config : List.of(aws.ec2().serviceClientConfiguration().overrideConfiguration(),
        aws.ec2("us-east-1").serviceClientConfiguration().overrideConfiguration(),
        aws.rds().serviceClientConfiguration().overrideConfiguration())) {
      assertThat(config.retryStrategy()).hasValueSatisfying(s -> assertThat(s.maxAttempts()).isEqualTo(1));
      assertThat(config.apiCallTimeout()).contains(AwsContext.API_CALL_TIMEOUT);
      assertThat(config.apiCallAttemptTimeout()).contains(AwsContext.API_CALL_TIMEOUT);
    }
  }

  @Test
  void retry_whenThrottledOrNotYetVisible_classifiesTheTranslatedError() {
    var throttled = software.amazon.awssdk.services.ec2.model.Ec2Exception.builder().statusCode(400)
        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
            .errorCode("RequestLimitExceeded").build()).build();
    var notYetVisible = software.amazon.awssdk.services.ec2.model.Ec2Exception.builder().statusCode(400)
        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
            .errorCode("InvalidVpcPeeringConnectionID.NotFound").build()).build();

    assertThat(provider.retry(provider.translate((RuntimeException) throttled)).isTransient()).isTrue();
    assertThat(provider.retry(provider.translate((RuntimeException) notYetVisible)).isPropagation()).isTrue();
    assertThat(provider.retry(new IllegalStateException("bug")).isNever()).isTrue();
  }

  @Test
  void expand_whenStackHasPeering_routesAndIngressDependOnTheConnection() {
    Map<String, Resource> byKey = provider.expand(keycloak(2, 1)).stream()
        .collect(Collectors.toMap(r -> r.key().toString(), Function.identity()));

    assertThat(byKey.get("aws:route/rosa-to-peer").dependencies()).containsExactlyInAnyOrder(
        Keys.peering("rosa"), Keys.vpc("db"));
    assertThat(byKey.get("aws:route/rosa-from-peer").dependencies()).containsExactlyInAnyOrder(
        Keys.peering("rosa"), Keys.vpc("db"));
    assertThat(byKey.get("aws:vpc-peering/rosa").dependencies()).containsExactly(Keys.vpc("db"));
    assertThat(byKey.get("aws:route-table-association/db-b").dependencies()).containsExactlyInAnyOrder(
        Keys.subnet("db", 1), Keys.vpc("db"));
  }

  @Test
  void validate_whenATagBreaksAwsRules_namesEachTagBeforeAnyCall() {
    Stack stack = Stack.builder().from(keycloak(2, 2)).putTags("team\nlead", "x").putTags("aws:owner", "me")
        .putTags("cost", "a{b}").build();
    assertThat(violations(stack)).extracting(Violation::toString).anySatisfy(t -> assertThat(t)
        .startsWith("tags[team\\nlead]").contains("letters, digits, spaces"))
        .anySatisfy(t -> assertThat(t).startsWith("tags[aws:owner]").contains("reserves"))
        .anySatisfy(t -> assertThat(t).startsWith("tags[cost]").contains("tag value"));
  }

  @Test
  void build_whenTheEndpointOverrideIsNotSafe_namesItAndHidesUserInfo() {
    for (String bad : List.of("ftp://127.0.0.1:21", "http:///", "http://10.1.2.3:5000", "https://user:pw@moto.test")) {
      assertThatThrownBy(() -> dev.cloudpg.aws.AwsCloud.builder().region("eu-west-1")
          .credentialsProvider(AnonymousCredentialsProvider.create()).endpointOverride(java.net.URI.create(bad)).build())
          .as(bad).isInstanceOf(dev.cloudpg.InvalidSpecException.class).hasMessageContaining("endpointOverride")
          .hasMessageNotContaining("pw@");
    }
    dev.cloudpg.aws.AwsCloud.builder().region("eu-west-1").credentialsProvider(AnonymousCredentialsProvider.create())
        .endpointOverride(java.net.URI.create("http://127.0.0.1:5000")).build().close();
  }
}
