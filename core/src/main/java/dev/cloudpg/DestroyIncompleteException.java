package dev.cloudpg;

import java.util.List;

/**
 * A destroy ran, but the discovery that ends it still found resources owned by the stack: nothing is reported as
 * destroyed that is not gone. {@link #left()} lists what is left; destroying again retries them.
 */
public class DestroyIncompleteException extends CloudpgException {
  private static final long serialVersionUID = 1L;
  private final transient List<String> left;

  /**
   * Makes the exception; the message lists what is left and says to destroy again.
   *
   * @param stack the name of the stack destroyed
   * @param left a description of each resource still found
   */
  public DestroyIncompleteException(String stack, List<String> left) {
    super("destroy of stack " + stack + " finished, but " + left.size() + " of its resources are still there:\n  "
        + String.join("\n  ", left) + "\ndestroy again to retry them; check what holds them if they stay");
    this.left = List.copyOf(left);
  }

  /**
   * What is left, one description each.
   *
   * @return the descriptions, unmodifiable
   */
  public List<String> left() {
    return left;
  }
}
