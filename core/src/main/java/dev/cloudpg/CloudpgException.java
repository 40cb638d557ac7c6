package dev.cloudpg;

/** The root of cloudpg's exceptions; all are unchecked, and none carries a secret in its message. */
public class CloudpgException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Makes an exception with a message and no cause.
   *
   * @param message what happened and, where it helps, what to do; never a secret
   */
  public CloudpgException(String message) {
    super(message);
  }

  /**
   * Makes an exception with a message and a cause.
   *
   * @param message what happened and, where it helps, what to do; never a secret
   * @param cause the failure behind this one, or null
   */
  public CloudpgException(String message, Throwable cause) {
    super(message, cause);
  }
}
