package dev.cloudpg;

import java.time.Duration;

/** A resource did not reach the awaited state in time. The resource is left as it is; applying again resumes. */
public class WaitTimedOutException extends CloudpgException {
  private static final long serialVersionUID = 1L;
  /** The resource waited for. */
  private final ResourceKey resource;
  /** How long the wait lasted. */
  private final Duration waited;

  /**
   * Makes the exception; the message reads {@code aws:aurora-cluster/db: not ready after PT30M (last state: creating)}.
   *
   * @param resource the resource waited for
   * @param awaited the state awaited: {@code ready} or {@code deleted}
   * @param waited how long the wait lasted
   * @param lastState the last state the resource's check reported
   */
  public WaitTimedOutException(ResourceKey resource, String awaited, Duration waited, String lastState) {
    super(resource + ": not " + awaited + " after " + waited + " (last state: " + lastState + ")");
    this.resource = resource;
    this.waited = waited;
  }

  /**
   * The resource that did not reach the awaited state.
   *
   * @return the resource's key
   */
  public ResourceKey resource() {
    return resource;
  }

  /**
   * How long the engine waited, on the cloud's clock.
   *
   * @return the duration of the wait
   */
  public Duration waited() {
    return waited;
  }
}
