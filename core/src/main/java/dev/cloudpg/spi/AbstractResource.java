package dev.cloudpg.spi;

import dev.cloudpg.ResourceKey;
import java.util.List;
import java.util.Objects;

/** A {@link Resource} that holds its key and dependencies, as every provider's resources do. */
public abstract class AbstractResource implements Resource {
  private final ResourceKey key;
  private final List<ResourceKey> dependencies;

  /**
   * Holds the key and a copy of the dependencies.
   *
   * @param key the resource's key
   * @param dependencies the keys of the resources that must exist before this one
   * @throws NullPointerException if the key, the list or one of its keys is null
   */
  protected AbstractResource(ResourceKey key, List<ResourceKey> dependencies) {
    this.key = Objects.requireNonNull(key, "key");
    this.dependencies = List.copyOf(dependencies);
  }

  @Override
  public final ResourceKey key() {
    return key;
  }

  @Override
  public final List<ResourceKey> dependencies() {
    return dependencies;
  }
}
