package dev.cloudpg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.ApplyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningEvent.Type;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.testkit.aws.AwsEndpoint;
import dev.cloudpg.testkit.aws.WithAwsEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The engine is the only layer that retries: through a proxy in front of moto that throttles or loses the answer to
 * chosen requests, the SDK sends each request once per attempt, the engine retries, and a create whose answer was
 * lost is found again instead of sent twice.
 */
@WithAwsEndpoint
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsRetryIT {
  private static final ApplyOptions QUICK_RETRIES = ApplyOptions.builder().retryDelay(Duration.ofMillis(10))
      .maxRetryDelay(Duration.ofMillis(100)).build();

  private AwsEndpoint aws;
  private Ec2Client ec2;
  private FaultyProxy proxy;

  @BeforeAll
  void start(AwsEndpoint endpoint) {
    this.aws = endpoint;
    this.ec2 = MotoClouds.ec2(endpoint, endpoint.region());
    this.proxy = FaultyProxy.start(endpoint.uri());
  }

  @AfterAll
  void stop() {
    proxy.close();
    ec2.close();
  }

  private AwsCloud cloudThroughProxy(AwsCallCounter calls) {
    return AwsCloud.builder().region(aws.region()).endpointOverride(proxy.uri())
        .credentialsProvider(MotoClouds.CREDENTIALS).waitPolicy(MotoClouds.FAST).addInterceptor(calls).build();
  }

  private static Stack network(String name, String cidr) {
    return Stack.builder().name(name).addNetworks(Network.builder().name("db").cidr(cidr).zones(2).build()).build();
  }

  private int ownedVpcs(String stack) {
    return ec2.describeVpcs(b -> b.filters(Filter.builder().name("tag:" + Ownership.STACK).values(stack).build()))
        .vpcs().size();
  }

  @Test
  void apply_whenCreateVpcIsThrottled_engineRetriesAndSdkSendsOneRequestPerAttempt() {
    AwsCallCounter calls = new AwsCallCounter();
    List<ProvisioningEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (AwsCloud cloud = cloudThroughProxy(calls)) {
      int before = proxy.requests("CreateVpc");
      proxy.failNext("CreateVpc", FaultyProxy.Fault.THROTTLE);

      StackOutputs out = cloud.apply(cloud.plan(network("throttled", "172.30.0.0/16")), events::add, QUICK_RETRIES);

      // two requests on the wire, two calls made by the cloud: the SDK did not retry, the engine did
      assertThat(proxy.requests("CreateVpc") - before).isEqualTo(2);
      assertThat(calls.snapshot()).containsEntry("Ec2.CreateVpc", 2);
      assertThat(events).filteredOn(e -> e.type() == Type.RETRYING).singleElement().satisfies(e -> {
        assertThat(e.resource()).contains(ResourceKey.parse("aws:vpc/db"));
        assertThat(e.message()).contains("attempt 1 failed").contains("RequestLimitExceeded");
      });
      assertThat(out.network("db").cidr()).isEqualTo("172.30.0.0/16");
      assertThat(ownedVpcs("throttled")).isEqualTo(1);
    }
  }

  @Test
  void plan_whenDescribeIsThrottled_retriesTheRead() {
    AwsCallCounter calls = new AwsCallCounter();
    List<ProvisioningEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (AwsCloud cloud = cloudThroughProxy(calls)) {
      int before = proxy.requests("DescribeVpcs");
      proxy.failNext("DescribeVpcs", FaultyProxy.Fault.THROTTLE);

      assertThat(cloud.plan(network("readthrottled", "172.31.0.0/16"), events::add).hasChanges()).isTrue();

      assertThat(proxy.requests("DescribeVpcs") - before).isEqualTo(calls.snapshot().get("Ec2.DescribeVpcs"))
          .isEqualTo(2);
      assertThat(events).anyMatch(e -> e.type() == Type.RETRYING && e.message().contains("read 1 failed"));
    }
  }

  @Test
  void apply_whenAnswersToCreatesAreLost_findsWhatTheyMadeAndMakesNoSecond() {
    String app = ec2.createVpc(b -> b.cidrBlock("10.40.0.0/16")).vpc().vpcId();
    Stack stack = Stack.builder().name("lost")
        .addNetworks(Network.builder().name("db").cidr("172.29.0.0/16").zones(2).build())
        .addPeerings(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc(app)).build())
        .build();
    proxy.failNext("CreateVpc", FaultyProxy.Fault.LOSE_RESPONSE)
        .failNext("CreateVpcPeeringConnection", FaultyProxy.Fault.LOSE_RESPONSE);
    AwsCallCounter calls = new AwsCallCounter();
    List<ProvisioningEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (AwsCloud cloud = cloudThroughProxy(calls)) {
      int vpcsBefore = proxy.requests("CreateVpc");
      int peeringsBefore = proxy.requests("CreateVpcPeeringConnection");

      StackOutputs out = cloud.apply(cloud.plan(stack), events::add, QUICK_RETRIES);

      assertThat(proxy.requests("CreateVpc") - vpcsBefore).isEqualTo(1);
      assertThat(proxy.requests("CreateVpcPeeringConnection") - peeringsBefore).isEqualTo(1);
      assertThat(events).filteredOn(e -> e.type() == Type.RETRYING).extracting(e -> e.resource().orElseThrow())
          .containsExactlyInAnyOrder(ResourceKey.parse("aws:vpc/db"), ResourceKey.parse("aws:vpc-peering/app"));
      assertThat(ownedVpcs("lost")).isEqualTo(1);
      assertThat(ec2.describeVpcPeeringConnections().vpcPeeringConnections()).filteredOn(
          p -> p.tags().stream().anyMatch(t -> t.key().equals(Ownership.STACK) && t.value().equals("lost")))
          .singleElement().satisfies(p -> {
            assertThat(p.vpcPeeringConnectionId()).isEqualTo(out.peering("app").id());
            assertThat(p.status().codeAsString()).isEqualTo("active");
          });
      assertThat(cloud.plan(stack).hasChanges()).isFalse();
    }
  }
}
