package dev.cloudpg;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A stack as {@link Cloud#stacks()} finds it in a region, subscription or project: its name, how many resources of
 * each type it owns, and its peerings with the network each leads to. Immutable and thread-safe.
 *
 * @param name the stack's name
 * @param resourcesByType how many resources of each type the stack owns, by the type in its resource keys
 *     ({@code aurora-cluster})
 * @param peerings the stack's peerings
 */
public record StackSummary(String name, Map<String, Integer> resourcesByType, List<PeeringSummary> peerings) {
  /**
   * Makes a summary, copying the map and the list.
   *
   * @param name the stack's name
   * @param resourcesByType how many resources of each type the stack owns
   * @param peerings the stack's peerings
   * @throws NullPointerException if the name is null
   */
  public StackSummary {
    Objects.requireNonNull(name, "name");
    resourcesByType = Map.copyOf(resourcesByType);
    peerings = List.copyOf(peerings);
  }

  /**
   * One peering of a stack: its name in the stack, the cloud's id for it and the peer network it leads to. Immutable
   * and thread-safe.
   *
   * @param name the peering's name in the stack; on Azure, where a peering carries no tags to say it, its ARM name
   *     ({@code vnet-aks-to-vnet-app}), one per direction
   * @param id the cloud's id of the connection
   * @param peer the peer network it leads to, such as {@code vpc-0b72}
   */
  public record PeeringSummary(String name, String id, String peer) {}

  /**
   * Every resource of the stack.
   *
   * @return the number of resources the stack owns, of every type
   */
  public int resourceCount() {
    return resourcesByType.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * One line: {@code keycloak  14 resources (aurora-cluster 1, ...)  peerings: app -> vpc-0b72}.
   *
   * @return the line, without a line break
   */
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
