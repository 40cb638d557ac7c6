package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.core.util.Context;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkPeeringInner;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceExpandedInner;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackSummary;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.Ownership;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a stack owns in Azure, in as few calls as ARM allows: one list of the stack's resource group filtered by the
 * {@code cloudpg:stack} tag, then, for each VNet found, one list of its peerings (a peering carries no tags: it is the
 * stack's by its deterministic name {@code <vnet>-to-<remote>} on a VNet the stack owns), for each storage account
 * one GET of its role assignment
 * for the database's identity, and for each peering toward
 * a VNet outside the stack's group one GET of its way back there; in each AKS cluster of a database the spec still
 * names, one list per CloudNativePG kind by the stack's label (a removed database's objects go with its cluster). The
 * lease record is not
 * tagged with the stack, so it is never found here. Thread-safe.
 */
final class AzureDiscovery {
  static final String VNET_TYPE = "microsoft.network/virtualnetworks";
  static final String STORAGE_TYPE = "microsoft.storage/storageaccounts";

  private final AzureContext azure;

  AzureDiscovery(AzureContext azure) {
    this.azure = azure;
  }

  static String stackFilter(String stack) {
    return "tagName eq '" + Ownership.STACK + "' and tagValue eq '" + stack.replace("'", "''") + "'";
  }

  /** Everything tagged with the stack in its group, the group itself when the stack made it, and its peerings. */
  List<Discovered> discover(Stack stack) {
    String group = azure.resourceGroup(stack.name());
    List<Discovered> found = new ArrayList<>();
    var groups = azure.managers().resources().serviceClient().getResourceGroups();
    java.util.Optional<ResourceGroupInner> rg = ifFound(() -> groups.get(group));
    if (rg.isEmpty()) {
      return found;
    }
    if (Ownership.ownedBy(rg.get().tags(), stack.name()) && rg.get().tags().get(Ownership.KEY) != null) {
      found.add(Discovered.of(ResourceKey.parse(rg.get().tags().get(Ownership.KEY)), rg.get().id(),
          "resource group " + rg.get().name(), Set.of()));
    }
    Map<String, ResourceKey> peeringKeys = peeringKeys(stack);
    for (GenericResourceExpandedInner r : azure.managers().resources().serviceClient().getResources()
        .listByResourceGroup(group, stackFilter(stack.name()), null, null, Context.NONE)) {
      String key = r.tags() == null ? null : r.tags().get(Ownership.KEY);
      if (key == null) {
        continue;
      }
      found.add(Discovered.of(ResourceKey.parse(key), r.id(), r.type() + " " + r.name(),
          rg.map(g -> Set.of(g.id())).orElse(Set.of())));
      if (STORAGE_TYPE.equals(r.type().toLowerCase(Locale.ROOT))) {
        blobRole(stack, ResourceKey.parse(key), r.id()).ifPresent(found::add);
      }
      if (VNET_TYPE.equals(r.type().toLowerCase(Locale.ROOT))) {
        for (VirtualNetworkPeeringInner p : azure.managers().network().serviceClient().getVirtualNetworkPeerings()
            .list(group, r.name())) {
          if (!p.name().startsWith(r.name() + "-to-")) {
            continue;
          }
          ResourceKey k = peeringKeys.getOrDefault(p.name().toLowerCase(Locale.ROOT),
              Keys.vnetPeering("removed-" + p.name()));
          found.add(Discovered.of(k, p.id(), "VNet peering " + p.name() + " toward "
              + (p.remoteVirtualNetwork() == null ? "?" : p.remoteVirtualNetwork().id()), Set.of(r.id())));
          if (p.remoteVirtualNetwork() != null) {
            back(rg.get().id(), r, p.remoteVirtualNetwork().id(), peeringKeys).ifPresent(found::add);
          }
        }
      }
    }
    for (Discovered d : List.copyOf(found)) {
      if (d.key().type().equals("aks-cluster") && stack.databases().stream().anyMatch(db -> Keys.aksCluster(db)
          .equals(d.key()))) {
        found.addAll(KubernetesOrphanResource.discover(azure, stack, group, d.id().substring(d.id().lastIndexOf('/')
            + 1)));
      }
    }
    return found;
  }

  /**
   * The backup account's role assignment for the database's identity, which cannot carry tags: found by its
   * deterministic name at the account (one GET), so that it goes with a removed database even though the account
   * and its backups stay. A database's other role assignments go with their scopes (the node resource group, the
   * Monitor workspace).
   */
  private java.util.Optional<Discovered> blobRole(Stack stack, ResourceKey account, String accountId) {
    ResourceKey role = Keys.roleAssignment(account.name() + "-blob-data");
    return ifFound(() -> azure.managers().authorization().roleServiceClient().getRoleAssignments()
        .get(accountId, Guids.derived(azure.subscription(), stack.name(), role.toString())))
        .map(a -> Discovered.of(role, a.id(), "role assignment " + a.name() + " on " + accountId, Set.of()));
  }

  /**
   * The way back of a peering toward a VNet outside the stack's group: the peering named {@code <remote>-to-<local>}
   * in the remote VNet that leads to the local one, which the stack made there (one GET). Empty when there is none,
   * or when the cloud may not read that VNet (another tenant's, where the stack makes no way back).
   */
  private java.util.Optional<Discovered> back(String groupId, GenericResourceExpandedInner local, String remoteId,
      Map<String, ResourceKey> peeringKeys) {
    String[] parts = remoteId.split("/");
    if (remoteId.toLowerCase(Locale.ROOT).startsWith(groupId.toLowerCase(Locale.ROOT) + "/") || parts.length != 9) {
      return java.util.Optional.empty();
    }
    String name = parts[8] + "-to-" + local.name();
    try {
      return ifFound(() -> azure.network(parts[2], List.of()).serviceClient().getVirtualNetworkPeerings()
          .get(parts[4], parts[8], name))
          .filter(b -> b.remoteVirtualNetwork() != null && local.id().equalsIgnoreCase(b.remoteVirtualNetwork().id()))
          .map(b -> Discovered.of(peeringKeys.getOrDefault(name.toLowerCase(Locale.ROOT),
              Keys.vnetPeering("removed-" + name)), b.id(), "VNet peering " + name + " toward " + local.id(),
              Set.of()));
    } catch (com.azure.core.exception.HttpResponseException e) {
      if (e.getResponse() != null && (e.getResponse().getStatusCode() == 401
          || e.getResponse().getStatusCode() == 403)) {
        return java.util.Optional.empty();
      }
      throw e;
    }
  }

  /** The keys of the peerings the spec names, by their ARM names (on whichever VNet of the stack they live). */
  private static Map<String, ResourceKey> peeringKeys(Stack stack) {
    Map<String, ResourceKey> keys = new HashMap<>();
    for (Peering p : stack.peerings()) {
      if (p.peer().kind() != PeerNetwork.Kind.AZURE_VNET) {
        continue;
      }
      String local = Names.vnet(p.network());
      keys.put((local + "-to-" + p.peer().reference()).toLowerCase(Locale.ROOT), Keys.vnetPeering(p));
      keys.put((p.peer().reference() + "-to-" + local).toLowerCase(Locale.ROOT), Keys.vnetPeeringBack(p));
    }
    return keys;
  }

  /** Whether a resource group (by id) still holds any resource. */
  boolean holdsAnything(String groupId) {
    String group = groupId.substring(groupId.lastIndexOf('/') + 1);
    return azure.managers().resources().serviceClient().getResources().listByResourceGroup(group).iterator()
        .hasNext();
  }

  /**
   * The stacks of the subscription: its resource groups tagged {@code cloudpg:stack}, each listed by tag. A group
   * managed by another resource is not a stack's own: AKS gives its node resource group the cluster's tags. Resources
   * are counted by the type of their keys ({@code aks-cluster}), from their {@code cloudpg:key} tags, as on the other
   * providers; a peering carries no tags, so it is listed under its ARM name.
   */
  List<StackSummary> stacks() {
    List<StackSummary> out = new ArrayList<>();
    for (ResourceGroupInner g : azure.managers().resources().serviceClient().getResourceGroups()
        .list("tagName eq '" + Ownership.STACK + "'", null, Context.NONE)) {
      if (g.managedBy() != null) {
        continue;
      }
      String stack = g.tags().get(Ownership.STACK);
      Map<String, Integer> counts = new TreeMap<>();
      List<StackSummary.PeeringSummary> peerings = new ArrayList<>();
      counts.merge(keyType(g.tags(), "resource-group"), 1, Integer::sum);
      for (GenericResourceExpandedInner r : azure.managers().resources().serviceClient().getResources()
          .listByResourceGroup(g.name(), stackFilter(stack), null, null, Context.NONE)) {
        counts.merge(keyType(r.tags(), r.type()), 1, Integer::sum);
        if (VNET_TYPE.equals(r.type().toLowerCase(Locale.ROOT))) {
          for (VirtualNetworkPeeringInner p : azure.managers().network().serviceClient()
              .getVirtualNetworkPeerings().list(g.name(), r.name())) {
            if (p.name().startsWith(r.name() + "-to-")) {
              counts.merge(Keys.vnetPeering(p.name()).type(), 1, Integer::sum);
              peerings.add(new StackSummary.PeeringSummary(p.name(), p.id(),
                  p.remoteVirtualNetwork() == null ? "" : p.remoteVirtualNetwork().id()));
            }
          }
        }
      }
      out.add(new StackSummary(stack, counts, peerings));
    }
    return out;
  }

  /** The type of the key in a resource's {@code cloudpg:key} tag, or {@code otherwise} when it has none. */
  private static String keyType(Map<String, String> tags, String otherwise) {
    String key = tags == null ? null : tags.get(Ownership.KEY);
    if (key == null) {
      return otherwise;
    }
    try {
      return ResourceKey.parse(key).type();
    } catch (IllegalArgumentException e) {
      return otherwise;
    }
  }
}
