package dev.cloudpg.azure.internal;

import dev.cloudpg.azure.AzureCloud;
import java.util.Objects;
import java.util.function.Function;

/**
 * The way from an {@link AzureCloud} to its {@link AzureContext} for {@link dev.cloudpg.azure.spi.AzureSession},
 * which modules that build on this one use. {@code AzureCloud} registers the accessor when it is initialised, so its
 * public API never names an internal type.
 */
public final class AzureContexts {
  private static volatile Function<AzureCloud, AzureContext> access;

  private AzureContexts() {}

  /** Called once, by {@code AzureCloud}'s static initialiser. */
  public static void register(Function<AzureCloud, AzureContext> accessor) {
    if (access != null) {
      throw new IllegalStateException("the AzureCloud accessor is registered already");
    }
    access = Objects.requireNonNull(accessor, "accessor");
  }

  /** The context a cloud was built with. */
  public static AzureContext of(AzureCloud cloud) {
    Objects.requireNonNull(cloud, "cloud");
    return access.apply(cloud);
  }
}
