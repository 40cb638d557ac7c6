package dev.cloudpg.spi;

import dev.cloudpg.ResourceKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A resource found in the cloud by the stack's ownership marks ({@link Provider#discover}): its key (from the
 * {@link Ownership#KEY} tag, or a deterministic name where a type cannot be tagged), the cloud's id for it, a short
 * description for plans, when it was made if the cloud says, and the ids of the resources it hangs off (a subnet its
 * VPC, an instance its cluster), which tell a duplicate in use from one that nothing uses. Immutable and thread-safe.
 *
 * @param key the resource's key
 * @param id the cloud's id of the resource
 * @param description a short description for plans and messages
 * @param created when the resource was made, if the cloud says
 * @param references the cloud's ids of the resources it hangs off
 */
public record Discovered(ResourceKey key, String id, String description, Optional<Instant> created,
    Set<String> references) {
  /**
   * Makes a record, copying the references.
   *
   * @param key the resource's key
   * @param id the cloud's id of the resource
   * @param description a short description for plans and messages
   * @param created when the resource was made, if the cloud says
   * @param references the cloud's ids of the resources it hangs off
   * @throws NullPointerException if any argument is null
   */
  public Discovered {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(created, "created");
    references = Set.copyOf(references);
  }

  /**
   * A resource with no known creation time.
   *
   * @param key the resource's key
   * @param id the cloud's id of the resource
   * @param description a short description for plans and messages
   * @param references the cloud's ids of the resources it hangs off
   * @return the record
   */
  public static Discovered of(ResourceKey key, String id, String description, Set<String> references) {
    return new Discovered(key, id, description, Optional.empty(), references);
  }

  @Override
  public String toString() {
    return key + " (" + description + ")";
  }
}
