package dev.cloudpg.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cloudpg.ApplyFailedException;
import dev.cloudpg.Cloud;
import dev.cloudpg.InstanceSize;
import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Secret;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.aws.AwsCloud;
import dev.cloudpg.azure.AzureCloud;
import dev.cloudpg.mst.MstCloud;
import dev.cloudpg.testkit.FakeCloud;
import dev.cloudpg.testkit.aws.AwsEndpoint;
import dev.cloudpg.testkit.aws.AwsService;
import dev.cloudpg.testkit.aws.WithAwsEndpoint;
import org.junit.jupiter.api.Test;

/**
 * The README's Java snippets, compiled with the build: {@code ReadmeSnippetsTest} checks that each snippet of the
 * README is, character for character, a region of this file ({@code // snippet:NAME} to {@code // end:NAME}). The
 * methods that would reach a cloud are never called.
 */
@SuppressWarnings({"unused", "try"})
final class ReadmeSnippets {
  private ReadmeSnippets() {}

  static void api(Cloud cloud) {
    // snippet:api
    Stack stack = Stack.builder().name("keycloak")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name("keycloak").network("db").version("16")
            .instances(2).size(InstanceSize.LARGE).databaseName("keycloak").build())
        .addPeerings(Peering.builder().name("app").network("db")
            .peer(PeerNetwork.awsVpc("vpc-0b72a4c1")).allowPort(5432).build())
        .build();                                 // throws InvalidSpecException listing every problem

    Plan plan = cloud.plan(stack);                // reads the cloud, changes nothing
    System.out.println(plan.render());            // + aws:vpc/db  does not exist ...; plan.toMermaid() draws it
    StackOutputs out = cloud.apply(plan, ProvisioningListener.console());
    out.database("keycloak").writerEndpoint();
    cloud.destroy(stack);                         // owned resources only; refuses while deletion protection is on
    // end:api
  }

  static void aws(Stack stack) {
    // snippet:aws
    try (AwsCloud cloud = AwsCloud.builder().region("eu-west-1").build()) {   // default credential chain
      StackOutputs out = cloud.apply(stack, ProvisioningListener.console());
    }
    // end:aws
  }


  static void azure(Stack stack) {
    // snippet:azure
    try (AzureCloud cloud = AzureCloud.builder().subscription("…").region("westus3").build()) { // DefaultAzureCredential
      StackOutputs out = cloud.apply(stack, ProvisioningListener.console());
      out.database("pg").writerEndpoint();          // pg-rw.cnpg-database.svc.cluster.local
      Secret kubeconfig = cloud.kubeconfig(stack, "pg");
    }
    // end:azure
  }

  static void mst(Stack stack) {
    // snippet:mst
    try (AzureCloud azure = AzureCloud.builder().subscription("…").region("westeurope").build();
        MstCloud mst = MstCloud.builder().project("my-project").cloud("azure-westeurope").azure(azure)
            .mstApplicationId("…")         // MST's Azure application id, which MST gives you
            .build()) {                     // token: AIVEN_TOKEN, else the avn credentials file, else token(..)
      StackOutputs out = mst.apply(stack, ProvisioningListener.console());
      out.database("tsdb").connectionUri();  // Optional<Secret>
    }
    // end:mst
  }

  static void testing(Stack stack) {
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

// snippet:aws-endpoint
@WithAwsEndpoint                                    // needs EC2 and RDS: moto
class MyAuroraIT {
  @Test
  void apply_whenFresh_createsCluster(AwsEndpoint aws) {
    AwsCloud cloud = AwsCloud.builder().region(aws.region()).endpointOverride(aws.uri()).build();
  }
}

@WithAwsEndpoint(services = AwsService.EC2)         // networking only: moto, or LocalStack
class MyNetworkIT {
}
// end:aws-endpoint
