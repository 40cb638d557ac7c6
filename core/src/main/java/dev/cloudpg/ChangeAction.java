package dev.cloudpg;

/** What applying a plan does to one resource. */
public enum ChangeAction {
  CREATE("+"),
  UPDATE("~"),
  NOOP("="),
  DELETE("-");

  private final String symbol;

  ChangeAction(String symbol) {
    this.symbol = symbol;
  }

  /** The one-character mark used by {@link Plan#render()}: {@code + ~ = -}. */
  public String symbol() {
    return symbol;
  }
}
