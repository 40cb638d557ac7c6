package dev.cloudpg;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One transition of an apply or destroy. {@code at} and {@code elapsed} come from the cloud's clock (simulated time on
 * a fake): {@code elapsed} is the time since the step started, or since the run started for {@link Type#RUN_STARTED}
 * and {@link Type#RUN_FINISHED}. Messages never hold secrets. Immutable and thread-safe.
 *
 * @param type the kind of transition
 * @param resource the resource concerned; empty for an event about the whole run
 * @param action the change the step makes; empty for events about the whole run and for notes
 * @param at when the transition happened
 * @param elapsed the time since the step (or the run) started; zero where that does not apply
 * @param message what happened, in words
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

  /**
   * An event about one resource.
   *
   * @param type the kind of transition
   * @param resource the resource concerned
   * @param action the change the step makes, or null for none
   * @param at when the transition happened
   * @param elapsed the time since the step started
   * @param message what happened, in words
   * @return the event
   */
  public static ProvisioningEvent of(Type type, ResourceKey resource, ChangeAction action, Instant at,
      Duration elapsed, String message) {
    return new ProvisioningEvent(type, Optional.of(resource), Optional.ofNullable(action), at, elapsed, message);
  }

  /**
   * An event about the whole run.
   *
   * @param type the kind of transition
   * @param at when the transition happened
   * @param elapsed the time since the run started
   * @param message what happened, in words
   * @return the event, with no resource and no action
   */
  public static ProvisioningEvent ofRun(Type type, Instant at, Duration elapsed, String message) {
    return new ProvisioningEvent(type, Optional.empty(), Optional.empty(), at, elapsed, message);
  }

  @Override
  public String toString() {
    return type + resource.map(r -> " " + r).orElse("") + action.map(a -> " [" + a + "]").orElse("") + " "
        + message;
  }
}
