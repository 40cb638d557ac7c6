package dev.cloudpg.spi;

import dev.cloudpg.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values a resource hands to its dependents and to {@link Provider#outputs}: ids, endpoints, secret references.
 * Values are strings, lists of strings or {@link Secret}s; {@code toString} shows secrets as {@code ****}.
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

  /** Outputs from alternating keys and values. */
  public static Outputs of(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must alternate");
    }
    Builder b = builder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      b.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The string value of {@code key}; throws {@link IllegalStateException} naming the key when there is none. */
  public String string(String key) {
    return find(key).orElseThrow(() -> new IllegalStateException("no output " + key + " among " + values.keySet()));
  }

  public Optional<String> find(String key) {
    Object v = values.get(key);
    return v instanceof String ? Optional.of((String) v) : Optional.empty();
  }

  @SuppressWarnings("unchecked")
  public List<String> list(String key) {
    Object v = values.get(key);
    return v instanceof List ? (List<String>) v : List.of();
  }

  public Optional<Secret> secret(String key) {
    Object v = values.get(key);
    return v instanceof Secret ? Optional.of((Secret) v) : Optional.empty();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  @Override
  public String toString() {
    return values.toString();
  }

  /** Builds {@link Outputs}. */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Adds a string, a list of strings or a {@link Secret}; a null value is skipped. */
    public Builder put(String key, Object value) {
      if (value instanceof List) {
        values.put(key, List.copyOf((List<?>) value).stream().map(String::valueOf).toList());
      } else if (value instanceof Secret || value instanceof String) {
        values.put(key, value);
      } else if (value != null) {
        values.put(key, String.valueOf(value));
      }
      return this;
    }

    public Outputs build() {
      return new Outputs(Map.copyOf(values));
    }
  }
}
