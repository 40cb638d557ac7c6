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
 * stack's by its deterministic name {@code <vnet>-to-<remote>} on a VNet the stack owns). The lease record is not
 * tagged with the stack, so it is never found here. Thread-safe.
 */
final class AzureDiscovery {
  static final String VNET_TYPE = "microsoft.network/virtualnetworks";
  static final String PEERING_TYPE = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings";

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
        }
      }
    }
    return found;
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

  /** The stacks of the subscription: its resource groups tagged {@code cloudpg:stack}, each listed by tag. */
  List<StackSummary> stacks() {
    List<StackSummary> out = new ArrayList<>();
    for (ResourceGroupInner g : azure.managers().resources().serviceClient().getResourceGroups()
        .list("tagName eq '" + Ownership.STACK + "'", null, Context.NONE)) {
      String stack = g.tags().get(Ownership.STACK);
      Map<String, Integer> counts = new TreeMap<>();
      List<StackSummary.PeeringSummary> peerings = new ArrayList<>();
      counts.merge(g.type(), 1, Integer::sum);
      for (GenericResourceExpandedInner r : azure.managers().resources().serviceClient().getResources()
          .listByResourceGroup(g.name(), stackFilter(stack), null, null, Context.NONE)) {
        counts.merge(r.type(), 1, Integer::sum);
        if (VNET_TYPE.equals(r.type().toLowerCase(Locale.ROOT))) {
          for (VirtualNetworkPeeringInner p : azure.managers().network().serviceClient()
              .getVirtualNetworkPeerings().list(g.name(), r.name())) {
            if (p.name().startsWith(r.name() + "-to-")) {
              counts.merge(PEERING_TYPE, 1, Integer::sum);
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
}
