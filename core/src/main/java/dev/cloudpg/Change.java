package dev.cloudpg;

import java.util.List;

/**
 * One line of a {@link Plan}: the resource, what happens to it, why, and what it waits for. Immutable and thread-safe.
 *
 * @param resource the resource's key
 * @param action what applying the plan does to the resource
 * @param reason why, in words: {@code does not exist}, {@code up to date}, the properties that differ with their
 *     current and desired values, or why a resource is deleted or left alone
 * @param dependsOn the resources whose changes this one waits for: its dependencies in an apply, and in a destroy the
 *     resources that depend on it, which are deleted first
 */
public record Change(ResourceKey resource, ChangeAction action, String reason, List<ResourceKey> dependsOn) {
  /**
   * Makes a change, copying {@code dependsOn}.
   *
   * @param resource the resource's key
   * @param action what applying the plan does to the resource
   * @param reason why, in words
   * @param dependsOn the resources whose changes this one waits for
   */
  public Change {
    dependsOn = List.copyOf(dependsOn);
  }

  @Override
  public String toString() {
    return action.symbol() + " " + resource + " (" + reason + ")";
  }
}
