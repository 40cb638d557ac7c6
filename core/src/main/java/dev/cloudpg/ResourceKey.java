package dev.cloudpg;

import java.util.Objects;

/**
 * The stable identity of one concrete resource of a stack: provider, type and name, written {@code aws:subnet/db-a}.
 * It is derived from the spec, so the same stack always yields the same keys; providers tag resources with it.
 * Immutable and thread-safe; ordered by its text.
 *
 * @param provider the provider's name: {@code aws}
 * @param type the resource's type within the provider: {@code subnet}
 * @param name the resource's name within the type, derived from the spec: {@code db-a}
 */
public record ResourceKey(String provider, String type, String name) implements Comparable<ResourceKey> {
  /**
   * Makes a key.
   *
   * @param provider the provider's name: {@code aws}
   * @param type the resource's type within the provider: {@code subnet}
   * @param name the resource's name within the type: {@code db-a}
   * @throws NullPointerException if any part is null
   */
  public ResourceKey {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
  }

  /**
   * The key with these parts.
   *
   * @param provider the provider's name: {@code aws}
   * @param type the resource's type within the provider: {@code subnet}
   * @param name the resource's name within the type: {@code db-a}
   * @return the key
   * @throws NullPointerException if any part is null
   */
  public static ResourceKey of(String provider, String type, String name) {
    return new ResourceKey(provider, type, name);
  }

  /**
   * Parses {@code provider:type/name}, the form {@link #toString()} writes.
   *
   * @param text the key as text, such as {@code aws:subnet/db-a}
   * @return the key
   * @throws IllegalArgumentException if the text has no provider before a {@code :}, no type before a {@code /}, or no
   *     name after it
   */
  public static ResourceKey parse(String text) {
    int colon = text.indexOf(':');
    int slash = text.indexOf('/', colon + 1);
    if (colon < 1 || slash < colon + 2 || slash == text.length() - 1) {
      throw new IllegalArgumentException("not a resource key (provider:type/name): " + text);
    }
    return new ResourceKey(text.substring(0, colon), text.substring(colon + 1, slash), text.substring(slash + 1));
  }

  @Override
  public int compareTo(ResourceKey o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return provider + ":" + type + "/" + name;
  }
}
