package dev.cloudpg.examples;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import dev.cloudpg.DatabaseOutputs;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.azure.AzureCloud;
import dev.cloudpg.mst.MstCloud;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.testkit.azure.FakeArm;
import dev.cloudpg.testkit.mst.FakeAiven;
import dev.cloudpg.testkit.mst.FakeGraph;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Procedure C as a program: a TimescaleDB service in an MST project VPC, privately peered with an Azure VNet, all
 * 17 steps (Entra application, service principals, roles, the Aiven peering request, the VNet peering across tenants)
 * printed as they pass. {@code --fake} runs it against FakeAiven, FakeGraph and FakeArm in this process, with an
 * application VNet made in the fake first; otherwise it uses the Aiven token ({@code AIVEN_TOKEN} or the avn
 * credentials file) and {@code DefaultAzureCredential}.
 *
 * <pre>
 * java -jar cloudpg-examples.jar mst --fake
 * java -jar cloudpg-examples.jar mst --project P --cloud azure-westeurope --subscription S --resource-group G \
 *     --vnet V --vnet-cidr 10.1.0.0/16 --mst-app-id APP_ID
 * </pre>
 */
final class MstExample {
  static final String USAGE = "mst [--fake [--time-scale X]] [--project P] [--cloud C] [--subscription S] "
      + "[--resource-group G] [--vnet V] [--vnet-cidr CIDR] [--mst-app-id ID] [--cidr CIDR] [--destroy]";
  static final String FAKE_SUBSCRIPTION = "00000000-0000-0000-0000-0000000000c3";
  static final String FAKE_MST_APP = "00000000-0000-4000-8000-0000000000a1";

  private MstExample() {}

  /** The stack of procedure C: a project VPC, a TimescaleDB service in it, and the peering with the VNet. */
  static Stack stack(String cidr, String subscription, String group, String vnet, String vnetCidr) {
    return Stack.builder().name("tsdb")
        .addNetworks(Network.builder().name("mst").cidr(cidr).build())
        .addDatabases(PostgresCluster.builder().name("tsdb").network("mst").deletionProtection(false).build())
        .addPeerings(Peering.builder().name("app").network("mst")
            .peer(PeerNetwork.azureVnet(subscription, group, vnet).withCidrs(vnetCidr)).build())
        .build();
  }

  static int run(String[] args) {
    boolean fake = false;
    boolean destroy = false;
    double timeScale = AksExample.DEFAULT_TIME_SCALE;
    String project = null;
    String cloud = "azure-westeurope";
    String subscription = null;
    String group = "App-RG";
    String vnet = "App-VNet";
    String vnetCidr = "10.1.0.0/16";
    String mstApp = null;
    String cidr = "10.20.0.0/24";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      boolean hasValue = i + 1 < args.length;
      switch (hasValue || a.equals("--fake") || a.equals("--destroy") ? a : "") {
        case "--fake" -> fake = true;
        case "--destroy" -> destroy = true;
        case "--time-scale" -> timeScale = Double.parseDouble(args[++i]);
        case "--project" -> project = args[++i];
        case "--cloud" -> cloud = args[++i];
        case "--subscription" -> subscription = args[++i];
        case "--resource-group" -> group = args[++i];
        case "--vnet" -> vnet = args[++i];
        case "--vnet-cidr" -> vnetCidr = args[++i];
        case "--mst-app-id" -> mstApp = args[++i];
        case "--cidr" -> cidr = args[++i];
        default -> {
          System.err.println("unexpected argument: " + a + "\nusage: " + USAGE);
          return 2;
        }
      }
    }
    if (!fake) {
      AzureCloud.Builder azure = AzureCloud.builder().region("westeurope");
      if (subscription != null) {
        azure.subscription(subscription);
      }
      try (AzureCloud az = azure.build();
          MstCloud mst = MstCloud.builder().project(project == null ? "" : project).cloud(cloud).azure(az)
              .mstApplicationId(mstApp == null ? "" : mstApp).build()) {
        Stack stack = stack(cidr, az.subscription(), group, vnet, vnetCidr);
        return destroy ? destroy(mst, stack) : apply(mst, stack);
      }
    }
    TokenCredential token = request -> Mono.just(new AccessToken("fake-token", OffsetDateTime.MAX));
    TimeSource time = TimeSource.scaled(Instant.now(), timeScale);
    try (FakeArm arm = FakeArm.builder().realisticDurations().timeScale(timeScale).build();
        FakeGraph graph = FakeGraph.start(arm.tenantId());
        FakeAiven aiven = FakeAiven.builder().realisticDurations().timeScale(timeScale).projects("demo")
            .azurePeered(arm::hasVnetPeeringTo).build();
        AzureCloud az = AzureCloud.builder().subscription(FAKE_SUBSCRIPTION).tenant(arm.tenantId())
            .region("westeurope").credential(token).endpointOverride(arm.endpoint()).timeSource(time).build();
        MstCloud mst = MstCloud.builder().project("demo").cloud(cloud).token(aiven.token())
            .apiBase(aiven.apiBase()).azure(az).graphEndpoint(graph.baseUrl()).mstApplicationId(FAKE_MST_APP)
            .applicationCredentials((tenant, appId, password) -> token).timeSource(time).build()) {
      System.out.println("fake Aiven at " + aiven.apiBase() + ", fake Graph at " + graph.baseUrl() + ", fake ARM at "
          + arm.endpoint() + " (simulated time, x" + (int) timeScale + ")");
      var network = az.context().managers();
      network.resources().serviceClient().getResourceGroups().createOrUpdate(group,
          new ResourceGroupInner().withLocation("westeurope"));
      network.network().serviceClient().getVirtualNetworks().beginCreateOrUpdate(group, vnet,
          new VirtualNetworkInner().withLocation("westeurope")
              .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of(vnetCidr))));
      System.out.println("made the application's VNet " + vnet + " (" + vnetCidr + ") in the fake ARM");
      Stack stack = stack(cidr, FAKE_SUBSCRIPTION, group, vnet, vnetCidr);
      int status = apply(mst, stack);
      return destroy ? destroy(mst, stack) : status;
    }
  }

  private static int apply(MstCloud mst, Stack stack) {
    Plan plan = mst.plan(stack);
    System.out.println(plan.render());
    StackOutputs out = mst.apply(plan, ProvisioningListener.console());
    DatabaseOutputs db = out.database("tsdb");
    System.out.println("service endpoint: " + db.writerEndpoint() + ":" + db.port()
        + " (connection URI with password: outputs.database(\"tsdb\").connectionUri(), never printed)");
    System.out.println("peering " + out.peering("app").id() + ": " + out.peering("app").state());
    return 0;
  }

  private static int destroy(MstCloud mst, Stack stack) {
    Plan plan = mst.planDestroy(stack, DestroyOptions.builder().overrideDeletionProtection(true).build());
    System.out.println(plan.render());
    mst.apply(plan, ProvisioningListener.console());
    return 0;
  }
}
