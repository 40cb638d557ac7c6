package dev.cloudpg;

/** What applying a plan does to one resource. */
public enum ChangeAction {
  /** The resource does not exist: it is created. */
  CREATE("+"),
  /** The resource exists, is the stack's, and differs only in properties that can change in place: it is updated. */
  UPDATE("~"),
  /**
   * The resource exists and is the stack's, but a property that cannot change in place differs, on a resource that
   * carries no data (a peering connection): a new one is created, then the resources that depend on it are brought
   * up to date with it, then the old one is deleted. New before old, so the link is never down for longer than it
   * takes to switch.
   */
  REPLACE("±"),
  /**
   * Nothing is done: the resource is up to date, or (in a destroy) absent or not the stack's, or it is kept because
   * {@link ApplyOptions#prune()} is off.
   */
  NOOP("="),
  /** The resource is the stack's and is deleted: by a destroy, or by an apply because the spec no longer names it. */
  DELETE("-");

  private final String symbol;

  ChangeAction(String symbol) {
    this.symbol = symbol;
  }

  /**
   * The one-character mark used by {@link Plan#render()}: {@code + ~ ± = -}.
   *
   * @return {@code +}, {@code ~}, {@code ±}, {@code =} or {@code -}
   */
  public String symbol() {
    return symbol;
  }
}
