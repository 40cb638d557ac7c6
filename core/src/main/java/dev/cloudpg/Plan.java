package dev.cloudpg;

import java.util.List;

/**
 * What applying a stack would do, decided by reading the cloud and changing nothing. Made by {@link Cloud#plan} or
 * {@link Cloud#planDestroy}, applied by {@link Cloud#apply(Plan)} on the same cloud. A plan is a snapshot: to resume
 * after a failure, apply the stack again, which plans afresh.
 */
public interface Plan {
  /** The stack this plan is for. */
  Stack stack();

  /** The provider that made the plan ({@code aws}, {@code azure}, {@code mst}, {@code fake}). */
  String provider();

  /** Every resource of the stack and what happens to it, in dependency order. */
  List<Change> changes();

  /** Whether applying the plan would change anything. */
  default boolean hasChanges() {
    return changes().stream().anyMatch(c -> c.action() != ChangeAction.NOOP);
  }

  /** Whether this plan removes the stack ({@link Cloud#planDestroy}). */
  boolean isDestroy();

  /** Remarks about the plan, such as another run holding the stack's lease right now. */
  default List<String> notes() {
    return List.of();
  }

  /** A readable table: one line per resource with its action and reason, and a summary line. */
  String render();

  /** The resource graph as a Mermaid flowchart, each node marked with its action. */
  String toMermaid();
}
