package dev.cloudpg;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A stack as {@link Cloud#stacks()} finds it in a region, subscription or project: its name, how many resources of
 * each type it owns, and its peerings with the network each leads to.
 */
public record StackSummary(String name, Map<String, Integer> resourcesByType, List<PeeringSummary> peerings) {
  public StackSummary {
    Objects.requireNonNull(name, "name");
    resourcesByType = Map.copyOf(resourcesByType);
    peerings = List.copyOf(peerings);
  }

  /** One peering of a stack: its name in the stack, the cloud's id for it and the peer network it leads to. */
  public record PeeringSummary(String name, String id, String peer) {}

  /** Every resource of the stack. */
  public int resourceCount() {
    return resourcesByType.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** One line: {@code keycloak  14 resources (aurora-cluster 1, ...)  peerings: app -> vpc-0b72}. */
  public String render() {
    StringBuilder out = new StringBuilder(name).append("  ").append(resourceCount()).append(" resources ")
        .append(new TreeMap<>(resourcesByType).toString().replace('=', ' ').replace('{', '(').replace('}', ')'));
    if (!peerings.isEmpty()) {
      out.append("  peerings:");
      peerings.forEach(p -> out.append(' ').append(p.name()).append(" -> ").append(p.peer()));
    }
    return out.toString();
  }
}
