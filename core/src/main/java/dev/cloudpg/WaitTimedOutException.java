package dev.cloudpg;

import java.time.Duration;

/** A resource did not reach the awaited state in time. The resource is left as it is; applying again resumes. */
public class WaitTimedOutException extends CloudpgException {
  private static final long serialVersionUID = 1L;
  private final ResourceKey resource;
  private final Duration waited;

  public WaitTimedOutException(ResourceKey resource, String awaited, Duration waited, String lastState) {
    super(resource + ": not " + awaited + " after " + waited + " (last state: " + lastState + ")");
    this.resource = resource;
    this.waited = waited;
  }

  public ResourceKey resource() {
    return resource;
  }

  public Duration waited() {
    return waited;
  }
}
