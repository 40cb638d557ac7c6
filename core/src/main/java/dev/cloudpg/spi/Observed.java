package dev.cloudpg.spi;

import java.util.Map;
import java.util.Optional;

/**
 * A resource as read from the cloud: whether the stack owns it, its comparable properties, its outputs, and whether
 * deletion protection is on.
 *
 * <p>Immutable and thread-safe.
 */
public final class Observed {
  private final boolean owned;
  private final String description;
  private final Map<String, String> properties;
  private final Outputs outputs;
  private final boolean deletionProtected;
  private final String changeNote;

  private Observed(boolean owned, String description, Map<String, String> properties, Outputs outputs,
      boolean deletionProtected, String changeNote) {
    this.owned = owned;
    this.description = description;
    this.properties = Map.copyOf(properties);
    this.outputs = outputs;
    this.deletionProtected = deletionProtected;
    this.changeNote = changeNote;
  }

  /**
   * A resource the stack owns, with its current properties and outputs.
   *
   * @param properties the properties to compare with {@link Resource#desired()}, as strings; no secrets
   * @param outputs what the resource hands to its dependents
   * @return the observation, with deletion protection off
   */
  public static Observed owned(Map<String, String> properties, Outputs outputs) {
    return new Observed(true, "owned", properties, outputs, false, null);
  }

  /**
   * A resource with the stack's name that the stack does not own; {@code description} says whose it seems to be.
   *
   * @param description what it is and whose it seems to be, for the conflict's message
   * @return the observation, with no properties and no outputs
   */
  public static Observed foreign(String description) {
    return new Observed(false, description, Map.of(), Outputs.empty(), false, null);
  }

  /**
   * This, with deletion protection marked on or off.
   *
   * @param on whether the cloud refuses to delete the resource
   * @return a copy with the mark set
   */
  public Observed withDeletionProtection(boolean on) {
    return new Observed(owned, description, properties, outputs, on, changeNote);
  }

  /**
   * This, with a remark the plan adds after the differences when the resource is updated or replaced: how the change
   * will be made ({@code reader 1 of 2, then failover}), or that it is deferred.
   *
   * @param note the remark, without secrets
   * @return a copy with the remark
   */
  public Observed withChangeNote(String note) {
    return new Observed(owned, description, properties, outputs, deletionProtected, note);
  }

  /**
   * The remark of {@link #withChangeNote}.
   *
   * @return the remark, or empty when there is none
   */
  public Optional<String> changeNote() {
    return Optional.ofNullable(changeNote);
  }

  /**
   * Whether the stack owns the resource.
   *
   * @return true if owned, false if foreign
   */
  public boolean owned() {
    return owned;
  }

  /**
   * For a foreign resource, what it is and whose it seems to be.
   *
   * @return the description; {@code owned} for an owned resource
   */
  public String description() {
    return description;
  }

  /**
   * The resource's comparable properties, as read.
   *
   * @return the properties by name, unmodifiable; empty for a foreign resource
   */
  public Map<String, String> properties() {
    return properties;
  }

  /**
   * One comparable property.
   *
   * @param name the property's name
   * @return its value, or empty when {@code read} did not report it
   */
  public Optional<String> property(String name) {
    return Optional.ofNullable(properties.get(name));
  }

  /**
   * What the resource hands to its dependents.
   *
   * @return the outputs; empty for a foreign resource
   */
  public Outputs outputs() {
    return outputs;
  }

  /**
   * Whether deletion protection is on: a destroy refuses unless told to override it, and an apply refuses to prune it.
   *
   * @return true if the resource is protected
   */
  public boolean deletionProtected() {
    return deletionProtected;
  }

  @Override
  public String toString() {
    return (owned ? "owned " : "foreign (" + description + ") ") + properties + " " + outputs;
  }
}
