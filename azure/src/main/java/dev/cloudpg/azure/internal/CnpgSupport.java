package dev.cloudpg.azure.internal;

import java.util.Map;
import java.util.Optional;

/**
 * CloudNativePG's support table for the releases {@link dev.cloudpg.azure.AksOptions} accepts: the Kubernetes minors
 * each CloudNativePG minor is tested and supported on (CloudNativePG's {@code supported_releases.md}), and which lines
 * still have the in-tree {@code barmanObjectStore} (removed from 1.32).
 */
final class CnpgSupport {
  /** CloudNativePG minor to its oldest and newest supported Kubernetes minors. */
  private static final Map<Integer, int[]> KUBERNETES = Map.of(
      27, new int[] {31, 33},
      28, new int[] {32, 34},
      29, new int[] {33, 35},
      30, new int[] {34, 36});
  /** The first CloudNativePG minor without the in-tree {@code barmanObjectStore}. */
  static final int IN_TREE_REMOVED = 32;
  /** The first CloudNativePG minor the Barman Cloud Plugin 0.14 works with. */
  static final int PLUGIN_FROM = 26;

  private CnpgSupport() {}

  /** The minor of a {@code 1.30.0} release or a {@code 1.36} / {@code 1.36.2} Kubernetes version; empty if not 1.x. */
  static Optional<Integer> minor(String version) {
    String[] parts = version.split("\\.");
    if (parts.length < 2 || !"1".equals(parts[0])) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(parts[1]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether the CloudNativePG release is one of the table's lines. */
  static boolean known(String cnpgVersion) {
    return minor(cnpgVersion).filter(KUBERNETES::containsKey).isPresent();
  }

  /** The table's lines, for messages: {@code 1.27, 1.28, 1.29, 1.30}. */
  static String lines() {
    return KUBERNETES.keySet().stream().sorted().map(m -> "1." + m).reduce((a, b) -> a + ", " + b).orElse("");
  }

  /** The Kubernetes range a known CloudNativePG release supports: {@code 1.34-1.36}. */
  static String kubernetesRange(String cnpgVersion) {
    int[] range = KUBERNETES.get(minor(cnpgVersion).orElseThrow());
    return "1." + range[0] + "-1." + range[1];
  }

  /** Whether a known CloudNativePG release supports a Kubernetes version. */
  static boolean supports(String cnpgVersion, String kubernetesVersion) {
    int[] range = KUBERNETES.get(minor(cnpgVersion).orElseThrow());
    return minor(kubernetesVersion).filter(k -> k >= range[0] && k <= range[1]).isPresent();
  }

  /** Whether the release still has the in-tree {@code barmanObjectStore}. */
  static boolean hasInTreeBackup(String cnpgVersion) {
    return minor(cnpgVersion).filter(m -> m < IN_TREE_REMOVED).isPresent();
  }
}
