package com.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudpg.ApplyFailedException;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.aws.AwsCloud;
import dev.cloudpg.testkit.FakeCloud;
import org.junit.jupiter.api.Test;

/** Applies and destroys a small stack on FakeCloud, with cloudpg taken from the BOM only. */
class ConsumerTest {
  private final Stack stack = Stack.builder().name("shop")
      .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
      .addDatabases(PostgresCluster.builder().name("orders").network("db").instances(2).build())
      .addPeerings(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc("vpc-0a11")).build())
      .build();

  @Test
  void apply_whenTheStackIsNew_createsItAndDestroyRemovesIt() {
    FakeCloud cloud = FakeCloud.builder().seed(7).build();
    cloud.addPeerNetwork("vpc-0a11", "10.0.0.0/16");

    StackOutputs out = cloud.apply(stack);
    assertTrue(out.database("orders").writerEndpoint().startsWith("shop-orders."));
    assertEquals(5432, out.database("orders").port());
    assertEquals(2, cloud.resources("database-instance").size());
    assertFalse(cloud.resourcesOf("shop").isEmpty());

    cloud.destroy(stack, ProvisioningListener.none(),
        DestroyOptions.builder().overrideDeletionProtection(true).skipFinalSnapshot(true).build());
    assertTrue(cloud.resourcesOf("shop").isEmpty());
  }

  @Test
  void builder_whenOnlyARegionIsGiven_buildsAnAwsCloudWithoutACall() {
    try (AwsCloud aws = AwsCloud.builder().region("eu-west-1").build()) {   // makes no call before a plan
      assertEquals("aws", aws.provider());
      assertEquals("eu-west-1", aws.region());
    }
  }

  /** The README's testing snippet, as a user's test would hold it. */
  @Test
  void readmeSnippet_whenRun_resumesAfterTheInjectedFailure() {
    // snippet:testing
    FakeCloud cloud = FakeCloud.builder().seed(7).build();   // realistic latencies on a virtual clock
    cloud.addPeerNetwork("vpc-0a11", "10.0.0.0/16");          // the application network to peer with
    cloud.failCreateOnce("fake:database-cluster/orders");     // or throttle(0.2), peerRejects(true)
    assertThrows(ApplyFailedException.class, () -> cloud.apply(stack));
    cloud.apply(stack);                                       // resumes
    assertThat(cloud.resources("database-instance")).hasSize(2);
    assertThat(cloud.mutatingCalls()).isNotEmpty();
    System.out.println(cloud.elapsed());                      // simulated time: PT15M...
    // end:testing
  }
}
