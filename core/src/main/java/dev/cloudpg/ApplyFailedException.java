package dev.cloudpg;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * An apply or destroy stopped because resources failed. Steps already running were let finish; nothing new was
 * started. {@link #result()} lists what was done, what failed and what was skipped. Applying the stack again resumes
 * from there without duplicating anything.
 */
public class ApplyFailedException extends CloudpgException {
  private static final long serialVersionUID = 1L;
  private final transient ApplyResult result;

  /**
   * Makes the exception for a run that ended with failures; the message counts what failed, was done and was skipped,
   * with each failure's message, and the first failure is the cause.
   *
   * @param operation what ran, for the message: {@code apply of stack orders}
   * @param result what the run did
   */
  public ApplyFailedException(String operation, ApplyResult result) {
    super(message(operation, result), result.failed().values().stream().findFirst().orElse(null));
    this.result = result;
  }

  private static String message(String operation, ApplyResult result) {
    return operation + " failed: " + result.failed().size() + " failed, " + result.done().size() + " done, "
        + result.skipped().size() + " skipped\n" + result.failed().entrySet().stream()
            .map(e -> "  " + e.getKey() + ": " + describe(e.getValue()))
            .collect(Collectors.joining("\n"))
        + (result.skipped().isEmpty() ? "" : "\n  skipped: " + result.skipped());
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /**
   * What the run did before it stopped.
   *
   * @return the resources done, failed (with causes) and skipped, and how long the run took
   */
  public ApplyResult result() {
    return result;
  }

  /**
   * The failures, by resource.
   *
   * @return each failed resource with its cause, in the order they failed
   */
  public Map<ResourceKey, Throwable> failures() {
    return result.failed();
  }
}
