package dev.cloudpg;

import java.util.List;

/**
 * What applying a stack would do, decided by reading the cloud and changing nothing. Made by {@link Cloud#plan} or
 * {@link Cloud#planDestroy}, applied by {@link Cloud#apply(Plan)} on the same cloud. A plan is a snapshot: to resume
 * after a failure, apply the stack again, which plans afresh. A plan does not change once made.
 */
public interface Plan {
  /**
   * The stack this plan is for.
   *
   * @return the stack as it was planned
   */
  Stack stack();

  /**
   * The provider that made the plan ({@code aws}, {@code azure}, {@code mst}, {@code fake}).
   *
   * @return the provider's name, as {@link Cloud#provider()} gives it
   */
  String provider();

  /**
   * Every resource of the stack and what happens to it, in dependency order.
   *
   * @return one change per resource, those left alone included (as {@link ChangeAction#NOOP})
   */
  List<Change> changes();

  /**
   * Whether applying the plan would change anything.
   *
   * @return true if any change is other than {@link ChangeAction#NOOP}
   */
  default boolean hasChanges() {
    return changes().stream().anyMatch(c -> c.action() != ChangeAction.NOOP);
  }

  /**
   * Whether this plan removes the stack ({@link Cloud#planDestroy}).
   *
   * @return true for a destroy plan, false for an apply plan
   */
  boolean isDestroy();

  /**
   * Remarks about the plan, such as another run holding the stack's lease right now.
   *
   * @return the remarks, in the order they were made; empty when there are none
   */
  default List<String> notes() {
    return List.of();
  }

  /**
   * A readable table: a summary line (how many resources are created, updated, deleted and unchanged), the notes, then
   * one line per resource with its action's {@link ChangeAction#symbol() symbol}, its key and the reason.
   *
   * @return the table, one line per row, each ending with a newline
   */
  String render();

  /**
   * The resource graph as a Mermaid flowchart, each node marked with its action, each edge from a resource to what
   * waits for it.
   *
   * @return the flowchart's source, starting with {@code flowchart LR}
   */
  String toMermaid();
}
