package dev.cloudpg.aws.internal;

import dev.cloudpg.PostgresCluster;
import dev.cloudpg.aws.AuroraOptions;

/** The deterministic names cloudpg gives AWS resources, so that they can be found again. */
final class Names {
  private static final String ZONE_LETTERS = "abcdef";

  private Names() {}

  /** The letter of the {@code index}-th subnet of a network, in keys and names: {@code a}, {@code b}, ... */
  static String zoneLetter(int index) {
    return String.valueOf(ZONE_LETTERS.charAt(index));
  }

  /** The Name tag of a network's VPC, and the name of its security group and DB subnet group. */
  static String network(String stack, String network) {
    return stack + "-" + network;
  }

  static String subnet(String stack, String network, int index) {
    return network(stack, network) + "-" + zoneLetter(index);
  }

  /** The DB cluster identifier: {@link AuroraOptions#clusterIdentifier()} or the database's name. */
  static String cluster(PostgresCluster db) {
    return db.option(AuroraOptions.class).flatMap(AuroraOptions::clusterIdentifier).orElse(db.name());
  }

  /** The DB instance identifier of the {@code n}-th instance (1-based), as procedure A's scripts name it. */
  static String instance(String cluster, int n) {
    return cluster + "-instance-" + n;
  }

  /**
   * Orders instance identifiers by their number ({@code -instance-2} before {@code -instance-10}), then as text.
   */
  static int byInstanceNumber(String a, String b) {
    int c = Long.compare(number(a), number(b));
    return c != 0 ? c : a.compareTo(b);
  }

  private static long number(String instance) {
    int dash = instance.lastIndexOf('-');
    try {
      return Long.parseLong(instance.substring(dash + 1));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  static String peering(String stack, String peering) {
    return stack + "-" + peering;
  }
}
