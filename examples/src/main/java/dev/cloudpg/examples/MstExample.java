package dev.cloudpg.examples;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
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
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
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
@Command(name = "mst", sortOptions = false,
    description = {"Procedure C: TimescaleDB on MST, privately peered with an Azure VNet.",
        "A TimescaleDB service in an MST project VPC and its peering with the application's VNet, the 17 steps "
            + "printed as they pass. --fake runs it in this process against FakeAiven, FakeGraph and FakeArm, with "
            + "an application VNet made in the fake first."},
    footer = {"", "Credentials: the Aiven token (AIVEN_TOKEN, or 'avn user login') and DefaultAzureCredential "
        + "('az login', or AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET); --fake needs none."})
final class MstExample implements Callable<Integer> {
  static final String FAKE_SUBSCRIPTION = "00000000-0000-0000-0000-0000000000c3";
  static final String FAKE_MST_APP = "00000000-0000-4000-8000-0000000000a1";

  /** The stack of procedure C: a project VPC, a TimescaleDB service in it, and the peering with the VNet. */
  static Stack stack(String cidr, String subscription, String group, String vnet, String vnetCidr) {
    return stack(cidr, subscription, group, List.of(vnet), List.of(vnetCidr));
  }

  /** The same with one peering per VNet: {@code app} for the first, {@code app-2}, {@code app-3}.. for the others. */
  static Stack stack(String cidr, String subscription, String group, List<String> vnets, List<String> vnetCidrs) {
    Stack.Builder stack = Stack.builder().name("tsdb")
        .addNetworks(Network.builder().name("mst").cidr(cidr).build())
        .addDatabases(PostgresCluster.builder().name("tsdb").network("mst").deletionProtection(false).build());
    for (int i = 0; i < vnets.size(); i++) {
      stack.addPeerings(Peering.builder().name(i == 0 ? "app" : "app-" + (i + 1)).network("mst")
          .peer(PeerNetwork.azureVnet(subscription, group, vnets.get(i)).withCidrs(vnetCidrs.get(i))).build());
    }
    return stack.build();
  }

  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Option(names = "--fake", description = "Run against FakeAiven, FakeGraph and FakeArm in this process: no account.")
  boolean fake;

  @Option(names = "--time-scale", paramLabel = "X", converter = Converters.PositiveNumber.class,
      description = "With --fake: how many times faster than real time the fakes run (default: 100).")
  Double timeScale;

  @Option(names = "--project", paramLabel = "P", description = "The MST (Aiven) project; 'avn project list' lists "
      + "yours. Required without --fake.")
  String project;

  @Option(names = "--cloud", paramLabel = "C", defaultValue = "azure-westeurope",
      description = "The MST cloud of the service and its VPC (default: ${DEFAULT-VALUE}).")
  String cloud;

  @Option(names = "--subscription", paramLabel = "S", converter = Converters.Guid.class,
      description = "The Azure subscription of the application VNet; AZURE_SUBSCRIPTION_ID otherwise.")
  String subscription;

  @Option(names = "--resource-group", paramLabel = "G", defaultValue = "App-RG",
      description = "The application VNet's resource group (default: ${DEFAULT-VALUE}).")
  String group;

  @Option(names = "--vnet", paramLabel = "V",
      description = "An application VNet to peer with, one peering each; more than once for several (default: "
          + "App-VNet). Re-running with fewer removes the peerings of the others.")
  List<String> vnets = new ArrayList<>();

  @Option(names = "--vnet-cidr", paramLabel = "CIDR", converter = Converters.Cidr.class,
      description = "The block of the --vnet in the same position (default: 10.1.0.0/16, 10.2.0.0/16, ..).")
  List<String> vnetCidrs = new ArrayList<>();

  @Option(names = "--then-first-vnet-only", description = "After applying, apply again with the first --vnet only: "
      + "the plan removes the other peerings (with --fake, in the same fakes).")
  boolean thenFirstOnly;

  @Option(names = "--mst-app-id", paramLabel = "ID", converter = Converters.Guid.class,
      description = "MST's Azure application id, which MST gives you. Required without --fake.")
  String mstApp;

  @Option(names = "--cidr", paramLabel = "CIDR", defaultValue = "10.20.0.0/24",
      converter = Converters.NetworkCidr.class,
      description = "The MST project VPC's block (default: ${DEFAULT-VALUE}).")
  String cidr;

  @Option(names = "--graph", paramLabel = "FILE",
      description = "Write the plan to FILE as Markdown with its Mermaid graph, before applying it.")
  Path graph;

  @Option(names = "--destroy", description = "Remove the stack; with --fake, after applying it.")
  boolean destroy;

  MstExample() {}

  /** The VNets, App-VNet when none is given. */
  private List<String> vnets() {
    return vnets.isEmpty() ? List.of("App-VNet") : vnets;
  }

  /** The blocks of the VNets, 10.N.0.0/16 for those without one. */
  private List<String> vnetCidrs() {
    List<String> cidrs = new ArrayList<>(vnetCidrs);
    for (int i = cidrs.size(); i < vnets().size(); i++) {
      cidrs.add("10." + (i + 1) + ".0.0/16");
    }
    return cidrs;
  }

  @Override
  public Integer call() {
    PlanGraph plans = new PlanGraph(graph, "mst");
    if (vnetCidrs.size() > vnets().size()) {
      throw new ParameterException(spec.commandLine(), "--vnet-cidr is given " + vnetCidrs.size() + " times for "
          + vnets().size() + " VNet(s): give one --vnet-cidr per --vnet");
    }
    if (!fake) {
      if (timeScale != null) {
        throw new ParameterException(spec.commandLine(), "--time-scale needs --fake: it sets the fakes' pace");
      }
      List<String> missing = new ArrayList<>();
      String sub = AksExample.subscriptionOrNull(subscription);
      if (sub == null) {
        missing.add(AksExample.MISSING_SUBSCRIPTION);
      }
      if (project == null) {
        missing.add("'--project=P'");
      }
      if (mstApp == null) {
        missing.add("'--mst-app-id=ID'");
      }
      if (!missing.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "Missing required option" + (missing.size() > 1 ? "s" : "")
            + ": " + String.join(", ", missing) + ", unless --fake");
      }
      try (AzureCloud az = AzureCloud.builder().region("westeurope").subscription(sub).build();
          MstCloud mst = MstCloud.builder().project(project).cloud(cloud).azure(az).mstApplicationId(mstApp)
              .build()) {
        az.checkSignIn();
        Stack stack = stack(cidr, az.subscription(), group, vnets(), vnetCidrs());
        return destroy ? destroy(mst, stack, plans) : applyThenFewer(mst, stack, plans);
      }
    }
    TokenCredential token = request -> Mono.just(new AccessToken("fake-token", OffsetDateTime.MAX));
    // One virtual clock for the fakes and the clouds, unless --time-scale asks for sped-up real time.
    TimeSource time = timeScale == null ? TimeSource.virtual(AksExample.FAKE_EPOCH)
        : TimeSource.scaled(Instant.now(), timeScale);
    try (FakeArm arm = FakeArm.builder().realisticDurations().time(time).build();
        FakeGraph entra = FakeGraph.builder().tenantId(arm.tenantId()).time(time).build();
        FakeAiven aiven = FakeAiven.builder().realisticDurations().time(time).projects("demo")
            .azurePeered(arm::hasVnetPeeringTo).build();
        AzureCloud az = AzureCloud.builder().subscription(FAKE_SUBSCRIPTION).tenant(arm.tenantId())
            .region("westeurope").credential(token).endpointOverride(arm.endpoint()).timeSource(time).build();
        MstCloud mst = MstCloud.builder().project("demo").cloud(cloud).token(aiven.token())
            .apiBase(aiven.apiBase()).azure(az).graphEndpoint(entra.baseUrl()).mstApplicationId(FAKE_MST_APP)
            .applicationCredentials((tenant, appId, password) -> token).timeSource(time).build()) {
      System.out.println("fake Aiven at " + aiven.apiBase() + ", fake Graph at " + entra.baseUrl() + ", fake ARM at "
          + arm.endpoint() + (timeScale == null ? " (simulated time on a virtual clock)"
              : " (simulated time, x" + timeScale.intValue() + ")"));
      for (int i = 0; i < vnets().size(); i++) {
        arm.addVirtualNetwork(FAKE_SUBSCRIPTION, group, vnets().get(i), "westeurope", vnetCidrs().get(i));
        System.out.println("made the application's VNet " + vnets().get(i) + " (" + vnetCidrs().get(i)
            + ") in the fake ARM");
      }
      Stack stack = stack(cidr, FAKE_SUBSCRIPTION, group, vnets(), vnetCidrs());
      int status = applyThenFewer(mst, stack, plans);
      return destroy ? destroy(mst, stack.withPeerings(thenFirstOnly ? stack.peerings().subList(0, 1)
          : stack.peerings()), plans) : status;
    }
  }

  /** Applies the stack, then, with --then-first-vnet-only, the stack with its first peering only. */
  private int applyThenFewer(MstCloud mst, Stack stack, PlanGraph plans) {
    int status = apply(mst, stack, plans);
    if (thenFirstOnly && status == 0) {
      System.out.println("applying again with the first VNet only: the plan removes the other peerings");
      status = apply(mst, stack.withPeerings(stack.peerings().subList(0, 1)), plans);
    }
    return status;
  }

  private static int apply(MstCloud mst, Stack stack, PlanGraph plans) {
    Plan plan = mst.plan(stack);
    System.out.println(plan.render());
    plans.add(plan);
    StackOutputs out = mst.apply(plan, ProvisioningListener.console());
    DatabaseOutputs db = out.database("tsdb");
    System.out.println("service endpoint: " + db.writerEndpoint() + ":" + db.port()
        + " (connection URI with password: outputs.database(\"tsdb\").connectionUri(), never printed)");
    System.out.println("peering " + out.peering("app").id() + ": " + out.peering("app").state());
    return 0;
  }

  private static int destroy(MstCloud mst, Stack stack, PlanGraph plans) {
    Plan plan = mst.planDestroy(stack, DestroyOptions.builder().overrideDeletionProtection(true).build());
    System.out.println(plan.render());
    plans.add(plan);
    mst.apply(plan, ProvisioningListener.console());
    return 0;
  }
}
