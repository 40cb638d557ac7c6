package dev.cloudpg.spi;

import dev.cloudpg.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values a resource hands to its dependents and to {@link Provider#outputs}: ids, endpoints, secret references,
 * each under a typed {@link Output} handle. Immutable and thread-safe; {@code toString} shows secrets as
 * {@code ****}.
 */
public final class Outputs {
  private static final Outputs EMPTY = new Outputs(Map.of());
  private final Map<String, Object> values;

  private Outputs(Map<String, Object> values) {
    this.values = values;
  }

  /**
   * No outputs.
   *
   * @return the shared empty instance
   */
  public static Outputs empty() {
    return EMPTY;
  }

  /**
   * A builder with no values.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The value of {@code output}; throws {@link IllegalStateException} naming it when there is none.
   *
   * @param <T> the output's type
   * @param output the handle
   * @return the value
   * @throws IllegalStateException if there is no value of the output's type under its name
   */
  public <T> T get(Output<T> output) {
    return find(output)
        .orElseThrow(() -> new IllegalStateException("no output " + output + " among " + values.keySet()));
  }

  /**
   * The value of {@code output}, if present.
   *
   * @param <T> the output's type
   * @param output the handle
   * @return the value, or empty when there is none of the output's type under its name
   */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(Output<T> output) {
    Object v = values.get(output.name());
    return output.accepts(v) ? Optional.of((T) v) : Optional.empty();
  }

  /**
   * Whether there are no outputs at all.
   *
   * @return true if no value is set
   */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * A builder holding these values, to add to or replace some of them.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.values.putAll(values);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Outputs && ((Outputs) o).values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }

  /** Builds {@link Outputs}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets {@code output}; a null value is skipped. A list is copied, each element as its string.
     *
     * @param <T> the output's type
     * @param output the handle
     * @param value the value, or null to leave the output as it is
     * @return this builder
     */
    public <T> Builder put(Output<T> output, T value) {
      if (value instanceof List) {
        values.put(output.name(), List.copyOf((List<?>) value).stream().map(String::valueOf).toList());
      } else if (value != null) {
        values.put(output.name(), value);
      }
      return this;
    }

    /**
     * Sets a string output from an optional value: absent leaves it unset.
     *
     * @param output the handle
     * @param value the value, if any
     * @return this builder
     */
    public Builder put(Output<String> output, Optional<String> value) {
      value.ifPresent(v -> values.put(output.name(), v));
      return this;
    }

    /**
     * The outputs set so far; the builder may go on being used.
     *
     * @return the outputs
     */
    public Outputs build() {
      return values.isEmpty() ? EMPTY : new Outputs(Map.copyOf(values));
    }
  }
}
