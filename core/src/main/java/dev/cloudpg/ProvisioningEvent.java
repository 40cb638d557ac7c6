package dev.cloudpg;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One transition of an apply or destroy. {@code at} and {@code elapsed} come from the cloud's clock (simulated time on
 * a fake): {@code elapsed} is the time since the step started, or since the run started for {@link Type#RUN_STARTED}
 * and {@link Type#RUN_FINISHED}. Messages never hold secrets.
 */
public record ProvisioningEvent(Type type, Optional<ResourceKey> resource, Optional<ChangeAction> action, Instant at,
    Duration elapsed, String message) {

  /** The kinds of transition. */
  public enum Type {
    /** An apply or destroy began; the message gives the number of steps. */
    RUN_STARTED,
    /** A step began to create, update or delete its resource. */
    STARTED,
    /** A step waits for its resource to reach a state; the message names the current state. */
    WAITING,
    /** A step failed transiently and will be tried again; the message gives the cause and the delay. */
    RETRYING,
    /** A provider's remark worth showing, such as a value it had to normalise. */
    NOTE,
    /** A step finished. */
    COMPLETED,
    /** A step failed for good. */
    FAILED,
    /** A step was not started because something it depends on failed. */
    SKIPPED,
    /** The apply or destroy ended; the message summarises it. */
    RUN_FINISHED
  }

  /** An event about one resource. */
  public static ProvisioningEvent of(Type type, ResourceKey resource, ChangeAction action, Instant at,
      Duration elapsed, String message) {
    return new ProvisioningEvent(type, Optional.of(resource), Optional.ofNullable(action), at, elapsed, message);
  }

  /** An event about the whole run. */
  public static ProvisioningEvent ofRun(Type type, Instant at, Duration elapsed, String message) {
    return new ProvisioningEvent(type, Optional.empty(), Optional.empty(), at, elapsed, message);
  }

  @Override
  public String toString() {
    return type + resource.map(r -> " " + r).orElse("") + action.map(a -> " [" + a + "]").orElse("") + " "
        + message;
  }
}
