package dev.cloudpg.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudpg.ApplyFailedException;
import dev.cloudpg.ApplyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningEvent.Type;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.StackLockedException;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.WaitPolicy;
import dev.cloudpg.testkit.aws.AwsEndpoint;
import dev.cloudpg.testkit.aws.WithAwsEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * The stack's lease in DynamoDB, against moto: two applies of one stack at once (two clouds, so the in-process lock
 * does not serialise them; and two JVMs) leave one of each resource, one having waited for the other; an expired
 * lease is taken over; a failed apply releases it; a long apply renews it.
 */
@WithAwsEndpoint
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsLeaseIT {
  private static final String TABLE = "cloudpg-leases";

  private AwsEndpoint aws;
  private Ec2Client ec2;
  private DynamoDbClient dynamo;

  @BeforeAll
  void clients(AwsEndpoint endpoint) {
    this.aws = endpoint;
    this.ec2 = MotoClouds.ec2(endpoint, endpoint.region());
    this.dynamo = DynamoDbClient.builder().region(Region.of(endpoint.region())).endpointOverride(endpoint.uri())
        .credentialsProvider(MotoClouds.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }

  @AfterAll
  void close() {
    ec2.close();
    dynamo.close();
  }

  /** A network in two zones with one instance of Aurora and a peering: what two runs could each make once. */
  static Stack stack(String name, String appVpc) {
    return Stack.builder().name(name)
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name(name).network("db").instances(1).build())
        .addPeerings(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc(appVpc)).build())
        .build();
  }

  private String appVpc(String cidr) {
    return ec2.createVpc(b -> b.cidrBlock(cidr)).vpc().vpcId();
  }

  /** VPCs, subnets and live peerings carrying the stack's tag. */
  private List<Integer> owned(String stack) {
    return List.of(ec2.describeVpcs(b -> b.filters(MotoClouds.stackTag(stack))).vpcs().size(),
        ec2.describeSubnets(b -> b.filters(MotoClouds.stackTag(stack))).subnets().size(),
        (int) ec2.describeVpcPeeringConnections().vpcPeeringConnections().stream()
            .filter(p -> p.status().codeAsString().equals("active"))
            .filter(p -> p.tags().stream().anyMatch(t -> t.value().equals(stack))).count());
  }

  private Map<String, AttributeValue> lease(String stack) {
    return dynamo.getItem(b -> b.tableName(TABLE).key(Map.of("stack", AttributeValue.builder().s(stack).build()))
        .consistentRead(true)).item();
  }

  private void ensureTable() {
    try {
      dynamo.createTable(b -> b.tableName(TABLE).billingMode("PAY_PER_REQUEST")
          .attributeDefinitions(AttributeDefinition.builder().attributeName("stack").attributeType("S").build())
          .keySchema(KeySchemaElement.builder().attributeName("stack").keyType("HASH").build()));
    } catch (ResourceInUseException e) {
      // made by an earlier test
    }
  }

  private static boolean waitedFor(List<ProvisioningEvent> events) {
    return events.stream().anyMatch(e -> e.type() == Type.WAITING && e.resource().isEmpty()
        && e.message().contains("is being applied by") && e.message().contains(" pid "));
  }

  @Test
  void apply_whenTwoCloudsApplyTheSameStackAtOnce_oneWaitsForTheOtherAndTheStackHasOneOfEach() throws Exception {
    String app = appVpc("10.90.0.0/16");
    Stack stack = stack("together", app);
    List<ProvisioningEvent> first = Collections.synchronizedList(new ArrayList<>());
    List<ProvisioningEvent> second = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    try (AwsCloud one = MotoClouds.cloud(aws); AwsCloud two = MotoClouds.cloud(aws)) {
      CompletableFuture<Object> a = CompletableFuture.supplyAsync(() -> run(start, one, stack, first));
      CompletableFuture<Object> b = CompletableFuture.supplyAsync(() -> run(start, two, stack, second));
      start.countDown();
      Object ra = a.get(5, TimeUnit.MINUTES);
      Object rb = b.get(5, TimeUnit.MINUTES);

      assertThat(owned("together")).containsExactly(1, 2, 1);
      boolean aWaited = waitedFor(first);
      boolean bWaited = waitedFor(second);
      boolean locked = ra instanceof StackLockedException || rb instanceof StackLockedException;
      assertThat(aWaited ^ bWaited || locked).as("one run waited for the other or was refused: %s / %s", ra, rb)
          .isTrue();
      if (locked) {
        StackLockedException e = (StackLockedException) (ra instanceof StackLockedException ? ra : rb);
        assertThat(e.holder()).contains(" pid ");
      }
      assertThat(lease("together")).isEmpty();
    }
  }

  /** Applies once the latch opens; the outputs, or the exception the apply threw. */
  private static Object run(CountDownLatch start, AwsCloud cloud, Stack stack, List<ProvisioningEvent> events) {
    try {
      start.await();
      return cloud.apply(stack, events::add);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Test
  void apply_whenAnotherHoldsTheLeaseLongerThanTheWait_failsNamingTheHolderAndChangesNothing() {
    ensureTable();
    String app = appVpc("10.91.0.0/16");
    Instant now = Instant.now();
    putLease("busy", "ci-runner-7 pid 4242", now, now.plus(Duration.ofMinutes(10)));
    AwsCallCounter calls = new AwsCallCounter();
    try (AwsCloud cloud = MotoClouds.cloud(aws, calls)) {
      assertThatThrownBy(() -> cloud.apply(stack("busy", app), ProvisioningListener.none(),
          ApplyOptions.builder().leaseWait(Duration.ZERO).build()))
          .isInstanceOfSatisfying(StackLockedException.class, e -> {
            assertThat(e.holder()).isEqualTo("ci-runner-7 pid 4242");
            assertThat(e.getMessage()).contains("ci-runner-7 pid 4242").contains("breakLease");
          });
      assertThat(calls.snapshot().keySet()).filteredOn(AwsCallCounter::isMutating).containsOnly("DynamoDb.PutItem");
      assertThat(cloud.plan(stack("busy", app)).notes()).filteredOn(n -> n.contains("being applied")).singleElement()
          .asString().contains("ci-runner-7 pid 4242");
      assertThat(owned("busy")).containsExactly(0, 0, 0);
    }
  }

  private void putLease(String stack, String holder, Instant since, Instant expires) {
    dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("stack", s(stack), "holder", s(holder), "run", s("dead-run"),
        "since", s(since.toString()), "expires", s(expires.toString()), "version", s("v-dead"))));
  }

  private static AttributeValue s(String v) {
    return AttributeValue.builder().s(v).build();
  }

  @Test
  void apply_whenTheLeaseHasExpired_takesItOverSayingFromWhom() {
    ensureTable();
    String app = appVpc("10.92.0.0/16");
    Instant past = Instant.now().minus(Duration.ofHours(1));
    putLease("expired", "laptop pid 99 (killed)", past, past.plus(Duration.ofMinutes(2)));
    List<ProvisioningEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      cloud.apply(stack("expired", app), events::add);

      assertThat(events).anyMatch(e -> e.type() == Type.NOTE && e.message().contains("took over the expired lease")
          && e.message().contains("laptop pid 99 (killed)"));
      assertThat(owned("expired")).containsExactly(1, 2, 1);
      assertThat(lease("expired")).isEmpty();
    }
  }

  /** Refuses the first CreateSubnet with an error no retry helps. */
  private static final class RefuseSubnet implements ExecutionInterceptor {
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if ("CreateSubnet".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
        throw Ec2Exception.builder().statusCode(400).message("injected").awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("InvalidParameterValue").errorMessage("injected: no subnet here").serviceName("Ec2").build())
            .build();
      }
    }
  }

  @Test
  void apply_whenItFails_releasesTheLease() {
    String app = appVpc("10.93.0.0/16");
    try (AwsCloud cloud = MotoClouds.cloud(aws, new RefuseSubnet())) {
      assertThatThrownBy(() -> cloud.apply(stack("failing", app), ProvisioningListener.none()))
          .isInstanceOf(ApplyFailedException.class);
    }
    assertThat(lease("failing")).isEmpty();
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      cloud.apply(stack("failing", app), ProvisioningListener.none());
    }
    assertThat(owned("failing")).containsExactly(1, 2, 1);
  }

  /** The expiry of every lease record the cloud writes, in order. */
  private static final class LeaseWrites implements ExecutionInterceptor {
    final List<String> expiries = Collections.synchronizedList(new ArrayList<>());
    final List<String> conditions = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof PutItemRequest) {
        PutItemRequest put = (PutItemRequest) context.request();
        expiries.add(put.item().get("expires").s());
        conditions.add(put.conditionExpression());
      }
    }
  }

  @Test
  void apply_whenItLastsLongerThanTheRenewalInterval_renewsTheLeaseWithConditionalWrites() {
    String app = appVpc("10.94.0.0/16");
    LeaseWrites writes = new LeaseWrites();
    // virtual time: every check waits 50 s, so the apply lasts minutes of the engine's clock and renews its lease
    WaitPolicy slow = WaitPolicy.of(Duration.ofSeconds(50), Duration.ofSeconds(50), Duration.ofHours(1));
    try (AwsCloud cloud = AwsCloud.builder().region(aws.region()).endpointOverride(aws.uri())
        .credentialsProvider(MotoClouds.CREDENTIALS).waitPolicy(slow).addInterceptor(writes)
        .timeSource(TimeSource.virtual(Instant.parse("2026-12-01T09:00:00Z"))).build()) {
      cloud.apply(stack("long", app), ProvisioningListener.none());
    }

    assertThat(writes.conditions).first().asString().contains("attribute_not_exists");
    assertThat(writes.conditions.size()).isGreaterThanOrEqualTo(2);
    assertThat(writes.conditions.subList(1, writes.conditions.size())).allMatch(c -> c.contains(":expected"));
    List<Instant> expiries = writes.expiries.stream().map(Instant::parse).toList();
    for (int i = 1; i < expiries.size(); i++) {
      assertThat(expiries.get(i)).isAfter(expiries.get(i - 1));
    }
    assertThat(lease("long")).isEmpty();
    assertThat(owned("long")).containsExactly(1, 2, 1);
  }

  @Test
  void apply_whenTwoJvmsApplyTheSameStackAtOnce_oneWaitsAndTheStackHasOneOfEach() throws Exception {
    String app = appVpc("10.95.0.0/16");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", LeaseRaceMain.class.getName(), aws.uri().toString(),
        aws.region(), "twojvms", app);
    Process a = new ProcessBuilder(command).redirectErrorStream(true).start();
    Process b = new ProcessBuilder(command).redirectErrorStream(true).start();
    String outA = output(a);
    String outB = output(b);

    assertThat(a.exitValue()).as(outA).isZero();
    assertThat(b.exitValue()).as(outB).isZero();
    assertThat(owned("twojvms")).containsExactly(1, 2, 1);
    boolean aWaited = outA.contains("waited: stack twojvms is being applied by");
    boolean bWaited = outB.contains("waited: stack twojvms is being applied by");
    boolean locked = outA.contains("locked by") || outB.contains("locked by");
    assertThat(aWaited ^ bWaited || locked).as("%s%n---%n%s", outA, outB).isTrue();
    assertThat(lease("twojvms")).isEmpty();
  }

  @Test
  void apply_whenTheHolderWasKilled_takesItsLeaseOverOnceExpiredAndConverges() throws Exception {
    String app = appVpc("10.96.0.0/16");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", LeaseRaceMain.class.getName(), aws.uri().toString(),
        aws.region(), "killed", app, "hang").redirectErrorStream(true).start();
    var out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(),
        StandardCharsets.UTF_8));
    String line;
    StringBuilder seen = new StringBuilder();
    while ((line = out.readLine()) != null && !line.equals("hanging")) {
      seen.append(line).append('\n');
    }
    assertThat(line).as("the holder's output: %s", seen).isEqualTo("hanging");
    Map<String, AttributeValue> held = lease("killed");
    assertThat(held).as("the holder's lease").isNotEmpty();
    holder.destroyForcibly().waitFor(); // SIGKILL: no release, no more renewals

    List<ProvisioningEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      cloud.apply(stack("killed", app), events::add,
          ApplyOptions.builder().leaseWait(Duration.ofMinutes(4)).build());
    }

    assertThat(waitedFor(events)).as("waited for the killed holder").isTrue();
    assertThat(events).anyMatch(e -> e.type() == Type.NOTE && e.message().contains("took over the expired lease")
        && e.message().contains(held.get("holder").s()));
    assertThat(owned("killed")).containsExactly(1, 2, 1);
    assertThat(lease("killed")).isEmpty();
  }

  private static String output(Process p) throws IOException, InterruptedException {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the apply did not end within 5 minutes: " + out);
    }
    return out;
  }
}
