package dev.cloudpg.examples;

import dev.cloudpg.DestroyOptions;
import dev.cloudpg.InstanceSize;
import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.testkit.FakeCloud;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The whole lifecycle of a stack against {@link FakeCloud}: build and validate it, plan, apply with live progress,
 * read the endpoints, re-plan (no changes), destroy. Times shown are simulated: the fake runs on a virtual clock, so
 * the output is the same on every run.
 */
@Command(name = "quickstart",
    description = {"The whole lifecycle of a stack against the in-memory FakeCloud.",
        "Validate, plan, apply with live progress, read the endpoints, plan again (no changes), destroy. No "
            + "credentials, no cloud; times are simulated."})
final class Quickstart implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  Quickstart() {}

  @Override
  public Integer call() {
    FakeCloud cloud = FakeCloud.create();
    cloud.addPeerNetwork("vpc-0a5e1234", "10.0.0.0/16");

    Stack stack = Stack.builder()
        .name("quickstart")
        .putTags("owner", "platform-team")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder()
            .name("keycloak").network("db").version("16").instances(2)
            .size(InstanceSize.LARGE).databaseName("keycloak").build())
        .addPeerings(Peering.builder()
            .name("app").network("db").peer(PeerNetwork.awsVpc("vpc-0a5e1234")).allowPort(5432).build())
        .build();

    System.out.println("== 1. Validation: specs are checked when built, every problem at once");
    try {
      Network.builder().name("DB_1").cidr("192.168.0.0/33").build();
    } catch (InvalidSpecException e) {
      System.out.println(e.getMessage());
    }

    System.out.println("\n== 2. Plan: reads the cloud, changes nothing");
    Plan plan = cloud.plan(stack);
    System.out.print(plan.render());

    System.out.println("\n== 3. Apply, with live progress (simulated time)");
    StackOutputs outputs = cloud.apply(plan, ProvisioningListener.console());

    System.out.println("\n== 4. Endpoints");
    System.out.print(outputs.render());
    System.out.println("writer endpoint: " + outputs.database("keycloak").writerEndpoint() + ":"
        + outputs.database("keycloak").port());

    System.out.println("\n== 5. Plan again: nothing to do");
    Plan again = cloud.plan(stack);
    System.out.print(again.render());
    System.out.println("has changes: " + again.hasChanges());

    System.out.println("\n== 6. Destroy (the database has deletion protection on: the override is explicit)");
    cloud.destroy(stack, ProvisioningListener.console(),
        DestroyOptions.builder().overrideDeletionProtection(true).skipFinalSnapshot(true).build());
    System.out.println("resources left of stack quickstart: " + cloud.resourcesOf("quickstart").size());
    System.out.println("simulated time in all: " + cloud.elapsed().toMinutes() + " min; API calls: "
        + cloud.calls().size());
    return cloud.resourcesOf("quickstart").isEmpty() && !again.hasChanges() ? 0 : 1;
  }
}
