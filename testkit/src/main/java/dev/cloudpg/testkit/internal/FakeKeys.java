package dev.cloudpg.testkit.internal;

import dev.cloudpg.ResourceKey;

/** The keys of the fake cloud's resources, built in this one place for the graph and the outputs. */
final class FakeKeys {
  static final String PROVIDER = "fake";

  private FakeKeys() {}

  static ResourceKey network(String network) {
    return key("network", network);
  }

  static ResourceKey subnet(String network, int zoneIndex) {
    return key("subnet", network + "-" + zone(zoneIndex));
  }

  static ResourceKey firewall(String network) {
    return key("firewall", network);
  }

  static ResourceKey subnetGroup(String database) {
    return key("subnet-group", database);
  }

  static ResourceKey cluster(String database) {
    return key("database-cluster", database);
  }

  /** Instance {@code n} of a database, from 1. */
  static ResourceKey instance(String database, int n) {
    return key("database-instance", database + "-" + n);
  }

  static ResourceKey peering(String peering) {
    return key("peering", peering);
  }

  static ResourceKey localRoute(String peering) {
    return key("route", peering + "-local");
  }

  static ResourceKey peerRoute(String peering) {
    return key("route", peering + "-peer");
  }

  static ResourceKey firewallRule(String peering) {
    return key("firewall-rule", peering);
  }

  /** The zone letter of a zone index: {@code a}, {@code b}... */
  static String zone(int index) {
    return String.valueOf((char) ('a' + index));
  }

  private static ResourceKey key(String type, String name) {
    return ResourceKey.of(PROVIDER, type, name);
  }
}
