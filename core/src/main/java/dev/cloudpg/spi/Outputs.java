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

  public static Outputs empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The value of {@code output}; throws {@link IllegalStateException} naming it when there is none. */
  public <T> T get(Output<T> output) {
    return find(output)
        .orElseThrow(() -> new IllegalStateException("no output " + output + " among " + values.keySet()));
  }

  /** The value of {@code output}, if present. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(Output<T> output) {
    Object v = values.get(output.name());
    return output.accepts(v) ? Optional.of((T) v) : Optional.empty();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** A builder holding these values, to add to or replace some of them. */
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

    /** Sets {@code output}; a null value is skipped. */
    public <T> Builder put(Output<T> output, T value) {
      if (value instanceof List) {
        values.put(output.name(), List.copyOf((List<?>) value).stream().map(String::valueOf).toList());
      } else if (value != null) {
        values.put(output.name(), value);
      }
      return this;
    }

    /** Sets a string output from an optional value: absent leaves it unset. */
    public Builder put(Output<String> output, Optional<String> value) {
      value.ifPresent(v -> values.put(output.name(), v));
      return this;
    }

    public Outputs build() {
      return values.isEmpty() ? EMPTY : new Outputs(Map.copyOf(values));
    }
  }
}
