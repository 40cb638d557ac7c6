package dev.cloudpg.testkit;

import dev.cloudpg.spi.Ownership;
import java.util.Map;

/**
 * A resource as the fake cloud holds it, for assertions: its type, id, name, state ({@code creating},
 * {@code available}, {@code pending-acceptance}, {@code active}, {@code deleting}...), tags and attributes. A snapshot: it does not change when the fake does. Immutable and thread-safe.
 *
 * @param type the resource type, such as {@code network} or {@code database-cluster}
 * @param id the fake cloud's id of the resource
 * @param name the resource's name
 * @param state the resource's state when the snapshot was taken
 * @param tags the resource's tags
 * @param attributes the resource's other attributes, such as {@code cidr}
 */
public record FakeResource(String type, String id, String name, String state, Map<String, String> tags,
    Map<String, String> attributes) {
  /**
   * Makes a record, copying the maps.
   *
   * @param type the resource type, such as {@code network} or {@code database-cluster}
   * @param id the fake cloud's id of the resource
   * @param name the resource's name
   * @param state the resource's state when the snapshot was taken
   * @param tags the resource's tags
   * @param attributes the resource's other attributes, such as {@code cidr}
   * @throws NullPointerException if a map, or a key or value in one, is null
   */
  public FakeResource {
    tags = Map.copyOf(tags);
    attributes = Map.copyOf(attributes);
  }

  /**
   * The stack that owns it, from its {@link Ownership#STACK} tag, or null.
   *
   * @return the stack's name, or null when no stack owns it
   */
  public String stack() {
    return tags.get(Ownership.STACK);
  }
}
