package dev.cloudpg.spi;

import java.util.Map;
import java.util.Optional;

/**
 * A resource as read from the cloud: whether the stack owns it, its comparable properties, its outputs, and whether
 * deletion protection is on.
 */
public final class Observed {
  private final boolean owned;
  private final String description;
  private final Map<String, String> properties;
  private final Outputs outputs;
  private final boolean deletionProtected;

  private Observed(boolean owned, String description, Map<String, String> properties, Outputs outputs,
      boolean deletionProtected) {
    this.owned = owned;
    this.description = description;
    this.properties = Map.copyOf(properties);
    this.outputs = outputs;
    this.deletionProtected = deletionProtected;
  }

  /** A resource the stack owns, with its current properties and outputs. */
  public static Observed owned(Map<String, String> properties, Outputs outputs) {
    return new Observed(true, "owned", properties, outputs, false);
  }

  /** A resource with the stack's name that the stack does not own; {@code description} says whose it seems to be. */
  public static Observed foreign(String description) {
    return new Observed(false, description, Map.of(), Outputs.empty(), false);
  }

  /** This, with deletion protection marked on or off. */
  public Observed withDeletionProtection(boolean on) {
    return new Observed(owned, description, properties, outputs, on);
  }

  public boolean owned() {
    return owned;
  }

  /** For a foreign resource, what it is and whose it seems to be. */
  public String description() {
    return description;
  }

  public Map<String, String> properties() {
    return properties;
  }

  public Optional<String> property(String name) {
    return Optional.ofNullable(properties.get(name));
  }

  public Outputs outputs() {
    return outputs;
  }

  public boolean deletionProtected() {
    return deletionProtected;
  }

  @Override
  public String toString() {
    return (owned ? "owned " : "foreign (" + description + ") ") + properties + " " + outputs;
  }
}
