package dev.cloudpg;

/**
 * The cloud holds something the stack cannot take over or change: a resource with the stack's name that the stack
 * does not own, or a change that would need a resource replaced. Nothing was changed.
 */
public class ConflictException extends CloudpgException {
  private static final long serialVersionUID = 1L;

  /**
   * Makes the exception.
   *
   * @param message every conflicting resource and why, and how to proceed
   */
  public ConflictException(String message) {
    super(message);
  }
}
