package dev.cloudpg.spi;

import dev.cloudpg.ResourceKey;
import java.util.List;
import java.util.Objects;

/** A {@link Resource} that holds its key and dependencies, as every provider's resources do. */
public abstract class AbstractResource implements Resource {
  private final ResourceKey key;
  private final List<ResourceKey> dependencies;

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
