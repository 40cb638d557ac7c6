package dev.cloudpg.mst.internal;

import com.azure.core.exception.ClientAuthenticationException;
import dev.cloudpg.DatabaseOutputs;
import dev.cloudpg.Network;
import dev.cloudpg.NetworkOutputs;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PeeringOutputs;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProviderException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.azure.internal.AzureErrors;
import dev.cloudpg.azure.internal.Guids;
import dev.cloudpg.azure.internal.RoleAssignmentResource;
import dev.cloudpg.mst.MstOptions;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.Violations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mst provider: a network is an Aiven project VPC, a database a PostgreSQL service with the TimescaleDB variant,
 * and a peering with an Azure VNet procedure C as nine steps (keys {@code mst:<type>/<peering>}):
 *
 * <pre>
 * entra-application ─ service-principal ─ role-assignment/&lt;p&gt;-app-network ─┐
 * mst-service-principal ─┐                                                ├─ peering-connection ─ vnet-peering ─ peering-active
 * role-definition ───────┴─ role-assignment/&lt;p&gt;-mst-peer ────────────────┘        (also needs project-vpc)
 * </pre>
 */
public final class MstProvider implements Provider {
  /** Aiven service names. */
  static final Pattern SERVICE_NAME = Pattern.compile("[a-z][-a-z0-9]{0,62}");
  /** Aiven plan names, such as {@code business-8}. */
  static final Pattern PLAN = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern AADSTS = Pattern.compile("AADSTS[0-9]+");

  private final MstContext mst;

  public MstProvider(MstContext mst) {
    this.mst = mst;
  }

  @Override
  public String name() {
    return "mst";
  }

  @Override
  public void validate(Stack stack, Violations v) {
    if (stack.networks().size() > 1) {
      v.add("networks", stack.networks().size(), "MST has one project VPC per cloud: give the stack one network");
    }
    for (Network n : stack.networks()) {
      if (n.cidr().isEmpty()) {
        v.add(n.path() + ".cidr", "", "is required on MST: give the project VPC's block, which must not overlap "
            + "the peered VNet's address ranges");
      }
    }
    Map<String, String> serviceNames = new HashMap<>();
    for (PostgresCluster db : stack.databases()) {
      Optional<MstOptions> options = db.option(MstOptions.class);
      String name = ServiceResource.serviceName(db);
      String namePath = options.flatMap(MstOptions::serviceName).isPresent() ? db.path() + ".options.serviceName"
          : db.path() + ".name";
      if (!SERVICE_NAME.matcher(name).matches()) {
        v.add(namePath, name, "is not an Aiven service name: lowercase letters, digits and '-', starting with a "
            + "letter, at most 63");
      }
      String earlier = serviceNames.putIfAbsent(name, db.path());
      if (earlier != null) {
        v.add(namePath, name, "gives the same service name as " + earlier);
      }
      options.flatMap(MstOptions::plan).ifPresent(p -> {
        if (!PLAN.matcher(p).matches()) {
          v.add(db.path() + ".options.plan", p, "is not an Aiven plan name such as business-8");
        }
      });
      db.masterPassword().ifPresent(p -> v.add(db.path() + ".masterPassword", p, "cannot be set on MST: it "
          + "generates the admin password, which the connection URI output carries"));
      if (db.instances() > 3 && options.flatMap(MstOptions::plan).isEmpty()) {
        v.add(db.path() + ".instances", db.instances(), "has no MST plan of its own: premium plans have three "
            + "nodes; give at most 3, or a plan with MstOptions.plan(..)");
      }
    }
    for (Peering p : stack.peerings()) {
      PeerNetwork peer = p.peer();
      if (peer.kind() != PeerNetwork.Kind.AZURE_VNET) {
        v.add(p.path() + ".peer.kind", peer.kind(), "is not an Azure VNet; MstCloud peers with Azure VNets only "
            + "(PeerNetwork.azureVnet(..))");
        continue;
      }
      if (peer.cidrs().isEmpty()) {
        v.add(p.path() + ".peer.cidrs", "[]", "is required on MST: the VNet's address ranges, which MST routes to "
            + "(user_peer_network_cidrs)");
      }
      peer.subscription().filter(s -> !Guids.isGuid(s)).ifPresent(s -> v.add(p.path() + ".peer.subscription", s,
          "is not a subscription id (a GUID)"));
      peer.tenant().filter(t -> mst.hasAzure() && !t.equalsIgnoreCase(mst.azure().tenant().orElse(t)))
          .ifPresent(t -> v.add(p.path() + ".peer.tenant", t, "is not the tenant of the Azure side ("
              + mst.azure().tenant().orElse("") + "): MST peers with VNets of the tenant its application is "
              + "registered in"));
      if (!mst.hasAzure()) {
        v.add("azure", "", "is required for " + p.path() + ": give MstCloud.builder().azure(azureCloud)");
      }
      if (mst.mstApplicationId().isEmpty()) {
        v.add("mstApplicationId", "", "is required for " + p.path() + ": MST's Azure application id, which MST's "
            + "support gives");
      }
    }
  }

  @Override
  public List<Resource> expand(Stack stack) {
    List<Resource> resources = new ArrayList<>();
    for (Network n : stack.networks()) {
      resources.add(new ProjectVpcResource(mst, stack, n));
    }
    for (PostgresCluster db : stack.databases()) {
      resources.add(new ServiceResource(mst, stack, db, vpcKey(db.network())));
    }
    for (Peering p : stack.peerings()) {
      expandPeering(stack, p, resources);
    }
    return resources;
  }

  private void expandPeering(Stack stack, Peering p, List<Resource> resources) {
    AzureVnet vnet = AzureVnet.of(p.peer());
    EntraApplicationResource app = new EntraApplicationResource(mst, stack, p);
    ServicePrincipalResource sp = new ServicePrincipalResource(mst, stack, p, app.key());
    VnetRoleAssignment appNetwork = new VnetRoleAssignment(mst, stack,
        MstResource.key("role-assignment", p.name() + "-app-network"), List.of(sp.key()),
        RoleAssignmentResource.NETWORK_CONTRIBUTOR, "Network Contributor", sp.key(), vnet,
        "steps 5-6: found VNet " + vnet + " and gave the application's service principal Network Contributor on it");
    MstServicePrincipalResource mstSp = new MstServicePrincipalResource(mst, stack, p,
        mst.mstApplicationId().orElseThrow());
    RoleDefinitionResource role = new RoleDefinitionResource(mst, stack, p, vnet);
    VnetRoleAssignment mstPeer = new VnetRoleAssignment(mst, stack,
        MstResource.key("role-assignment", p.name() + "-mst-peer"), List.of(mstSp.key(), role.key()),
        RoleDefinitionResource.id(mst, stack, p, vnet), RoleDefinitionResource.roleName(mst, stack, p),
        mstSp.key(), vnet, "step 9: gave MST's service principal the peer role on VNet " + vnet.name());
    PeeringConnectionResource connection = new PeeringConnectionResource(mst, stack, p, vnet, vpcKey(p.network()),
        app.key(), List.of(appNetwork.key(), mstPeer.key()));
    VnetPeeringStep vnetPeering = new VnetPeeringStep(mst, stack, p, vnet, app.key(), connection.key(),
        List.of(connection.key(), app.key()));
    PeeringActiveResource active = new PeeringActiveResource(mst, stack, p, vnet, connection.key(),
        vnetPeering.key());
    resources.addAll(List.of(app, sp, appNetwork, mstSp, role, mstPeer, connection, vnetPeering, active));
  }

  static ResourceKey vpcKey(String network) {
    return MstResource.key("project-vpc", network);
  }

  @Override
  public StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
    StackOutputs.Builder result = StackOutputs.builder().stack(stack.name());
    for (Network n : stack.networks()) {
      outputs.apply(vpcKey(n.name())).filter(o -> o.find("vpcId").isPresent()).ifPresent(vpc -> result.putNetworks(
          n.name(), NetworkOutputs.builder().id(vpc.string("vpcId")).cidr(vpc.string("cidr"))
              .putAttributes("cloud", vpc.string("cloud")).putAttributes("project", mst.project()).build()));
    }
    for (PostgresCluster db : stack.databases()) {
      outputs.apply(MstResource.key("service", db.name())).filter(o -> o.find("host").isPresent())
          .ifPresent(s -> {
            DatabaseOutputs.Builder out = DatabaseOutputs.builder().writerEndpoint(s.string("host"))
                .port(Integer.parseInt(s.string("port")));
            s.secret("connectionUri").ifPresent(out::connectionUri);
            s.find("serviceName").ifPresent(v -> out.putAttributes("serviceName", v));
            s.find("plan").ifPresent(v -> out.putAttributes("plan", v));
            s.find("cloud").ifPresent(v -> out.putAttributes("cloud", v));
            result.putDatabases(db.name(), out.build());
          });
    }
    for (Peering p : stack.peerings()) {
      Optional<Outputs> active = outputs.apply(MstResource.key("peering-active", p.name()));
      Optional<Outputs> connection = outputs.apply(MstResource.key("peering-connection", p.name()));
      active.or(() -> connection).filter(o -> o.find("peeringId").isPresent()).ifPresent(o -> {
        PeeringOutputs.Builder out = PeeringOutputs.builder().id(o.string("peeringId")).state(o.string("state"));
        o.find("toNetworkId").ifPresent(v -> out.putAttributes("toNetworkId", v));
        connection.flatMap(c -> c.find("toTenantId")).ifPresent(v -> out.putAttributes("toTenantId", v));
        o.find("vnetPeeringId").ifPresent(v -> out.putAttributes("vnetPeeringId", v));
        result.putPeerings(p.name(), out.build());
      });
    }
    return result.build();
  }

  @Override
  public RuntimeException translate(RuntimeException e) {
    if (e instanceof ClientAuthenticationException) {
      return signInFailed((ClientAuthenticationException) e);
    }
    return AzureErrors.translate(e);
  }

  /**
   * Entra ID refused to sign in as the peering's application. A password or application a few seconds old is not
   * known to every Entra ID server yet, which clears up by itself; the message keeps only Entra ID's error code.
   */
  private static ProviderException signInFailed(ClientAuthenticationException e) {
    Matcher m = AADSTS.matcher(String.valueOf(e.getMessage()));
    String code = m.find() ? m.group() : "ClientAuthentication";
    boolean replicating = code.equals("AADSTS7000215") || code.equals("AADSTS700016")
        || code.equals("ClientAuthentication");
    return new ProviderException("azure", code, "signing in as the peering's application failed"
        + (replicating ? "; a new application or password takes a while to reach every Entra ID server" : ""),
        null, e.getResponse() == null ? 0 : e.getResponse().getStatusCode(), replicating, null);
  }
}
