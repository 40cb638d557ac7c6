package dev.cloudpg.mst.internal;

import dev.cloudpg.PeerNetwork;
import dev.cloudpg.spi.Text;
import java.util.Locale;

/** The user's VNet of a peering, as the spec names it. */
record AzureVnet(String subscription, String resourceGroup, String name) {
  static AzureVnet of(PeerNetwork peer) {
    return new AzureVnet(peer.subscription().orElseThrow(), peer.resourceGroup().orElseThrow(), peer.reference());
  }

  /** The VNet's resource id, in the spec's case (ARM compares ids ignoring case). */
  String id() {
    return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
        + "/providers/Microsoft.Network/virtualNetworks/" + name;
  }

  /** The subscription as a role scope. */
  String subscriptionScope() {
    return "/subscriptions/" + subscription;
  }

  /** The VNet as Aiven knows it: every name lower case, the only form its API accepts. */
  AzurePeer aivenPeer() {
    return new AzurePeer(lower(subscription), lower(resourceGroup), lower(name));
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return Text.quote(name) + " (resource group " + Text.quote(resourceGroup) + ", subscription "
        + Text.quote(subscription) + ")";
  }
}
