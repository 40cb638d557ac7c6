package dev.cloudpg;

/** The root of cloudpg's exceptions; all are unchecked, and none carries a secret in its message. */
public class CloudpgException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CloudpgException(String message) {
    super(message);
  }

  public CloudpgException(String message, Throwable cause) {
    super(message, cause);
  }
}
