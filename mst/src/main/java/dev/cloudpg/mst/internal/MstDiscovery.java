package dev.cloudpg.mst.internal;

import com.azure.core.util.Context;
import com.azure.resourcemanager.authorization.fluent.models.RoleAssignmentInner;
import com.azure.resourcemanager.authorization.fluent.models.RoleDefinitionInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkPeeringInner;
import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackSummary;
import dev.cloudpg.azure.spi.AzureSession;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.Ownership;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a stack owns on MST and on the Azure side it peers with, in as few calls as the APIs allow:
 *
 * <ul>
 *   <li>Aiven: one list of the project's services, the stack's told by their tags ({@code cloudpg:stack},
 *       {@code cloudpg:key}); one list of the project's VPCs, the cloud's one being the stack's when it has a network's
 *       CIDR or holds something of the stack's (a project VPC carries no tags); one read of that VPC for its peering
 *       connections, the stack's being those that name one of the stack's Entra ID applications.
 *   <li>Microsoft Graph: one list of the applications and one of the service principals tagged
 *       {@code cloudpg:stack=<project>/<stack>}; an application's peering is in its display name.
 *   <li>ARM, per peering, on its VNet (from the spec, or from Aiven's connection for one the spec no longer names):
 *       the VNet peering by its deterministic name, the custom role by its derived GUID and description, and the
 *       role assignments of the peering's two principals whose description names the stack.
 * </ul>
 *
 * Ids from ARM are lower-cased, since ARM compares them ignoring case. Each found resource names, as references, the
 * ids of what it hangs off, so that duplicates in use are told from strays and removals run in reverse order.
 * Thread-safe.
 */
final class MstDiscovery {
  private final MstContext mst;

  MstDiscovery(MstContext mst) {
    this.mst = mst;
  }

  /** Everything of the stack's; see the class documentation for the calls. */
  List<Discovered> discover(Stack stack) {
    List<Discovered> found = new ArrayList<>();
    List<AivenService> services = mst.aiven().listServices(mst.project());
    Set<String> vpcsWithOwnServices = new HashSet<>();
    for (AivenService s : services) {
      String key = s.tags().get(Ownership.KEY);
      if (Ownership.ownedBy(s.tags(), stack.name()) && key != null) {
        s.projectVpcId().ifPresent(vpcsWithOwnServices::add);
        found.add(Discovered.of(ResourceKey.parse(key), s.serviceName(), "service " + s.serviceName() + " ("
            + s.state() + ", plan " + s.plan() + ")", s.projectVpcId().map(Set::of).orElse(Set.of())));
      }
    }
    List<Map.Entry<String, EntraApplication>> apps = mst.hasAzure() ? applications(stack) : List.of();
    Map<String, String> peeringOfAppId = new HashMap<>();
    Map<String, String> objectIdOfAppId = new HashMap<>();
    Set<String> appPeerings = new java.util.TreeSet<>();
    apps.forEach(e -> {
      peeringOfAppId.put(AzureVnet.lower(e.getValue().appId()), e.getKey());
      objectIdOfAppId.put(AzureVnet.lower(e.getValue().appId()), e.getValue().objectId());
      appPeerings.add(e.getKey());
    });

    Map<String, AivenPeering> connections = new LinkedHashMap<>();
    Optional<AivenVpc> vpc = cloudVpc();
    if (vpc.isPresent()) {
      AivenVpc full = mst.aiven().getVpc(mst.project(), vpc.get().projectVpcId()).orElse(vpc.get());
      for (AivenPeering p : full.peeringConnections()) {
        String peering = p.peerAzureAppId() == null ? null : peeringOfAppId.get(AzureVnet.lower(p.peerAzureAppId()));
        if (peering != null && !p.state().startsWith("DELET")) {
          connections.put(peering, p);
        }
      }
      Optional<String> network = stack.networks().stream()
          .filter(n -> n.cidr().map(full.networkCidr()::equals).orElse(false)).map(Network::name).findFirst();
      if (network.isPresent() || vpcsWithOwnServices.contains(full.projectVpcId()) || !connections.isEmpty()) {
        ResourceKey key = Keys.projectVpc(network.orElse("vpc-" + full.projectVpcId()));
        found.add(Discovered.of(key, full.projectVpcId(), "project VPC " + full.projectVpcId() + " ("
            + full.networkCidr() + ") in " + full.cloudName(), Set.of()));
      }
    }
    if (!mst.hasAzure()) {
      return found;
    }
    apps.forEach(e -> found.add(Discovered.of(Keys.entraApplication(e.getKey()), e.getValue().objectId(),
        "Entra ID application " + e.getValue().displayName() + " (" + e.getValue().appId() + ")", Set.of())));
    String mstPrincipal = null;
    Map<String, String> principalOfPeering = new HashMap<>();
    for (EntraServicePrincipal sp : mst.directory().servicePrincipalsTagged(MstResource.stackTag(mst, stack))) {
      String peering = peeringOfAppId.get(AzureVnet.lower(sp.appId()));
      if (peering != null) {
        principalOfPeering.put(peering, sp.objectId());
        found.add(Discovered.of(Keys.servicePrincipal(peering), sp.objectId(), "service principal " + sp.objectId()
            + " of application " + sp.appId(), Set.of(objectIdOfAppId.get(AzureVnet.lower(sp.appId())))));
      } else if (mst.mstApplicationId().filter(id -> id.equalsIgnoreCase(sp.appId())).isPresent()) {
        mstPrincipal = sp.objectId();
        found.add(Discovered.of(Keys.mstServicePrincipal(mstPrincipalName(stack, appPeerings)), sp.objectId(),
            "service principal " + sp.objectId() + " of MST's application " + sp.appId(), Set.of()));
      }
    }
    Map<String, AzureVnet> vnets = new LinkedHashMap<>();
    stack.peerings().forEach(p -> vnets.put(p.name(), AzureVnet.of(p.peer())));
    connections.forEach((peering, c) -> vnets.putIfAbsent(peering, new AzureVnet(c.peerCloudAccount(),
        c.peerResourceGroup(), c.peerVpc())));
    if (mstPrincipal == null && !vnets.isEmpty()) {
      // One that existed before the stack is not tagged; the peer role's assignment to it is still the stack's.
      mstPrincipal = mst.mstApplicationId().flatMap(id -> mst.directory().findServicePrincipal(id))
          .map(EntraServicePrincipal::objectId).orElse(null);
    }
    Map<String, Set<String>> assignmentsOfPeering = new HashMap<>();
    for (Map.Entry<String, AzureVnet> e : vnets.entrySet()) {
      String peering = e.getKey();
      AzureVnet vnet = e.getValue();
      Set<String> assignments = new LinkedHashSet<>();
      assignmentsOfPeering.put(peering, assignments);
      String roleId = RoleDefinitionResource.id(mst, stack, peering, vnet);
      roleDefinition(stack, peering, vnet).ifPresent(r -> found.add(Discovered.of(Keys.roleDefinition(peering),
          arm(roleId), "custom role " + r.roleName(), Set.of())));
      String owner = Ownership.STACK + "=" + MstResource.owner(mst, stack);
      Optional<String> appPrincipal = Optional.ofNullable(principalOfPeering.get(peering));
      for (String principal : new LinkedHashSet<>(java.util.Arrays.asList(appPrincipal.orElse(null), mstPrincipal))) {
        if (principal == null) {
          continue;
        }
        for (RoleAssignmentInner a : assignments(vnet, principal)) {
          if (!owner.equals(a.description()) || a.scope() == null || !a.scope().equalsIgnoreCase(vnet.id())) {
            continue;
          }
          boolean peerRole = a.roleDefinitionId() != null && a.roleDefinitionId().equalsIgnoreCase(roleId);
          ResourceKey key = principal.equals(appPrincipal.orElse(null)) && !peerRole ? Keys.appNetworkRole(peering)
              : peerRole ? Keys.mstPeerRole(peering) : null;
          if (key != null) {
            assignments.add(arm(a.id()));
            found.add(Discovered.of(key, arm(a.id()), "role assignment " + a.name() + " on VNet " + vnet.name(),
                Set.of(a.principalId(), arm(String.valueOf(a.roleDefinitionId())))));
          }
        }
      }
      AzureSession.ifFound(() -> mst.azure().network(vnet.subscription()).serviceClient()
          .getVirtualNetworkPeerings().get(vnet.resourceGroup(), vnet.name(), MstResource.tenantWideName(mst, stack,
              peering))).ifPresent(p -> {
                Set<String> refs = new HashSet<>();
                Optional.ofNullable(connections.get(peering)).map(AivenPeering::peeringConnectionId)
                    .ifPresent(refs::add);
                Optional.ofNullable(connections.get(peering)).map(c -> objectIdOfAppId.get(AzureVnet.lower(
                    c.peerAzureAppId()))).ifPresent(refs::add);
                found.add(Discovered.of(Keys.vnetPeering(peering), arm(p.id()), "VNet peering " + p.name() + " of "
                    + vnet.name() + " toward " + remote(p), refs));
              });
    }
    connections.forEach((peering, c) -> {
      Set<String> refs = new HashSet<>(assignmentsOfPeering.getOrDefault(peering, Set.of()));
      refs.add(vpc.orElseThrow().projectVpcId());
      refs.add(objectIdOfAppId.get(AzureVnet.lower(c.peerAzureAppId())));
      found.add(Discovered.of(Keys.peeringConnection(peering), c.peeringConnectionId(), "peering connection "
          + c.peeringConnectionId() + " toward VNet " + c.peerVpc() + " (" + c.state() + ")", refs));
    });
    return found;
  }

  /**
   * The stack's applications with the peering in their display names; two for one peering (a create whose answer
   * was lost, then sent again) are both listed, and the engine keeps the one in use.
   */
  private List<Map.Entry<String, EntraApplication>> applications(Stack stack) {
    String prefix = "cloudpg-" + mst.project() + "-" + stack.name() + "-";
    List<Map.Entry<String, EntraApplication>> apps = new ArrayList<>();
    for (EntraApplication app : mst.directory().applicationsTagged(MstResource.stackTag(mst, stack))) {
      if (app.displayName() != null && app.displayName().startsWith(prefix)) {
        apps.add(Map.entry(app.displayName().substring(prefix.length()), app));
      }
    }
    return apps;
  }

  /** The key's name of MST's service principal: one per tenant, under the first peering that uses it. */
  private static String mstPrincipalName(Stack stack, Set<String> appPeerings) {
    return stack.peerings().stream().map(Peering::name).findFirst()
        .or(() -> appPeerings.stream().findFirst()).orElse("mst");
  }

  /** The project VPC of the cloud that is not being deleted; a project has at most one per cloud. */
  private Optional<AivenVpc> cloudVpc() {
    return mst.aiven().listVpcs(mst.project()).stream().filter(v -> mst.cloud().equals(v.cloudName()))
        .filter(v -> !v.state().startsWith("DELET")).findFirst();
  }

  private Optional<RoleDefinitionInner> roleDefinition(Stack stack, String peering, AzureVnet vnet) {
    return AzureSession.ifFound(() -> mst.azure().authorization().roleServiceClient().getRoleDefinitions()
        .get(vnet.subscriptionScope(), RoleDefinitionResource.guid(mst, stack, peering, vnet)))
        .filter(r -> MstResource.stackTag(mst, stack).equals(r.description()));
  }

  private List<RoleAssignmentInner> assignments(AzureVnet vnet, String principal) {
    List<RoleAssignmentInner> out = new ArrayList<>();
    String filter = URLEncoder.encode("principalId eq '" + principal + "'", StandardCharsets.UTF_8)
        .replace("+", "%20");
    AzureSession.ifFound(() -> {
      mst.azure().authorization().roleServiceClient().getRoleAssignments()
          .listForScope(vnet.id(), filter, null, null, Context.NONE).forEach(out::add);
      return true;
    });
    return out;
  }

  private static String remote(VirtualNetworkPeeringInner p) {
    return p.remoteVirtualNetwork() == null ? "?" : String.valueOf(p.remoteVirtualNetwork().id());
  }

  static String arm(String id) {
    return id.toLowerCase(Locale.ROOT);
  }

  /**
   * The stacks of the project, each then discovered: the owners of its tagged services and, with an Azure side, of
   * the Entra ID applications tagged {@code cloudpg:stack=<project>/..} (one more Graph request), so that a stack
   * whose services are gone but whose peering is not (a destroy that stopped half-way) is still listed. A project
   * VPC carries no tags: one left alone is nobody's.
   */
  List<StackSummary> stacks() {
    Set<String> names = new java.util.TreeSet<>();
    mst.aiven().listServices(mst.project()).forEach(s -> {
      String owner = s.tags().get(Ownership.STACK);
      if (owner != null) {
        names.add(owner);
      }
    });
    if (mst.hasAzure()) {
      String prefix = Ownership.STACK + "=" + mst.project() + "/";
      mst.directory().applicationTagsStartingWith(prefix).values().forEach(tags -> tags.stream()
          .map(t -> t.substring(prefix.length())).filter(name -> !name.isEmpty()).forEach(names::add));
    }
    List<StackSummary> out = new ArrayList<>();
    for (String name : names) {
      Stack stack = Stack.builder().name(name).build();
      Map<String, Integer> counts = new TreeMap<>();
      List<StackSummary.PeeringSummary> peerings = new ArrayList<>();
      for (Discovered d : discover(stack)) {
        counts.merge(d.key().type(), 1, Integer::sum);
        if (d.key().type().equals("peering-connection")) {
          peerings.add(new StackSummary.PeeringSummary(d.key().name(), d.id(), d.description()
              .replaceFirst("^.* toward VNet ([^ ]+).*$", "$1")));
        }
      }
      out.add(new StackSummary(name, counts, peerings));
    }
    return out;
  }
}
