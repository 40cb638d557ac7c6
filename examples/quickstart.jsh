// The quickstart as a JShell script, against the in-memory FakeCloud (no credentials, no cloud).
// Run from the project root after `./mvnw -q -B package -DskipTests`:
//   jshell --class-path examples/target/cloudpg-examples.jar examples/quickstart.jsh
// JShell reads line by line: continued lines end with a dot or an open parenthesis.
import dev.cloudpg.*;
import dev.cloudpg.Stack;
import dev.cloudpg.testkit.FakeCloud;

var cloud = FakeCloud.builder().timeScale(1_000).build();
cloud.addPeerNetwork("vpc-0a5e1234", "10.0.0.0/16");

var stack = Stack.builder().name("quickstart").
    addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build()).
    addDatabases(PostgresCluster.builder().name("keycloak").network("db").instances(2).
        size(InstanceSize.LARGE).databaseName("keycloak").build()).
    addPeerings(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc("vpc-0a5e1234")).build()).
    build();

var plan = cloud.plan(stack);
System.out.print(plan.render());
var outputs = cloud.apply(plan, ProvisioningListener.console());
System.out.print(outputs.render());
System.out.println("re-plan has changes: " + cloud.plan(stack).hasChanges());
cloud.destroy(stack, ProvisioningListener.console(),
    DestroyOptions.builder().overrideDeletionProtection(true).skipFinalSnapshot(true).build());
System.out.println("resources left: " + cloud.resourcesOf("quickstart").size());
/exit
