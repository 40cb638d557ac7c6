package dev.cloudpg;

import java.util.List;

/** One line of a {@link Plan}: the resource, what happens to it, why, and what it waits for. */
public record Change(ResourceKey resource, ChangeAction action, String reason, List<ResourceKey> dependsOn) {
  public Change {
    dependsOn = List.copyOf(dependsOn);
  }

  @Override
  public String toString() {
    return action.symbol() + " " + resource + " (" + reason + ")";
  }
}
