package dev.cloudpg.testkit;

import dev.cloudpg.spi.Ownership;
import java.util.Map;

/**
 * A resource as the fake cloud holds it, for assertions: its type, id, name, state ({@code creating},
 * {@code available}, {@code pending-acceptance}, {@code active}, {@code deleting}...), tags and attributes.
 */
public record FakeResource(String type, String id, String name, String state, Map<String, String> tags,
    Map<String, String> attributes) {
  public FakeResource {
    tags = Map.copyOf(tags);
    attributes = Map.copyOf(attributes);
  }

  /** The stack that owns it, from its {@link Ownership#STACK} tag, or null. */
  public String stack() {
    return tags.get(Ownership.STACK);
  }
}
