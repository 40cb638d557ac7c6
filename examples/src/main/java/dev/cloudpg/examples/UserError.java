package dev.cloudpg.examples;

/** A mistake of the person running an example that is found while it runs, such as a file it cannot write. */
final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
