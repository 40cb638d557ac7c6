package dev.cloudpg.mst;

import dev.cloudpg.InstanceSize;
import dev.cloudpg.ProviderOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * MST-specific settings of a {@link dev.cloudpg.PostgresCluster}, attached with {@code .addOptions(..)}:
 *
 * <pre>{@code
 * PostgresCluster.builder().name("metrics").network("db")
 *     .addOptions(MstOptions.builder().plan("business-16").serviceName("metrics-prod").build())
 *     .build()
 * }</pre>
 *
 * <p>Without options, the service is named after the database and its plan follows the cluster's instances and size
 * ({@link #planFor}).
 */
public final class MstOptions implements ProviderOptions {
  private final String plan;
  private final String serviceName;

  private MstOptions(Builder b) {
    this.plan = b.plan;
    this.serviceName = b.serviceName;
  }

  /**
   * A builder with the defaults above.
   *
   * @return a builder with the defaults above
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The Aiven plan, such as {@code business-16}, overriding the one derived from instances and size.
   *
   * @return the Aiven plan, such as {@code business-16}, overriding the one derived from instances and size
   */
  public Optional<String> plan() {
    return Optional.ofNullable(plan);
  }

  /**
   * The service's name in the Aiven project, instead of the database's name.
   *
   * @return the service's name in the Aiven project, instead of the database's name
   */
  public Optional<String> serviceName() {
    return Optional.ofNullable(serviceName);
  }

  /**
   * The plan cloudpg uses for a cluster without an explicit one: the tier follows the number of nodes (1
   * {@code startup}, 2 {@code business}, 3 or more {@code premium}, which has three nodes) and the number the size
   * ({@code SMALL} 4, {@code MEDIUM} 8, {@code LARGE} 16, {@code XLARGE} 32, {@code XXLARGE} 64). So two
   * {@code MEDIUM} instances give {@code business-8}.
   *
   * @param instances the cluster's number of instances
   * @param size the cluster's instance size
   * @return the plan's name
   */
  public static String planFor(int instances, InstanceSize size) {
    String tier = instances <= 1 ? "startup" : instances == 2 ? "business" : "premium";
    switch (size) {
      case SMALL:
        return tier + "-4";
      case MEDIUM:
        return tier + "-8";
      case LARGE:
        return tier + "-16";
      case XLARGE:
        return tier + "-32";
      case XXLARGE:
        return tier + "-64";
      default:
        throw new IllegalArgumentException("no MST plan for " + size);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MstOptions && Objects.equals(plan, ((MstOptions) o).plan)
        && Objects.equals(serviceName, ((MstOptions) o).serviceName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(plan, serviceName);
  }

  @Override
  public String toString() {
    return "MstOptions{plan=" + plan + ", serviceName=" + serviceName + "}";
  }

  /** Builds {@link MstOptions}; values are checked when a stack using them is planned. */
  public static final class Builder {
    private String plan;
    private String serviceName;

    private Builder() {}

    /**
     * The Aiven plan, such as {@code business-16}.
     *
     * @param plan the Aiven plan, such as {@code business-16}
     * @return this builder
     */
    public Builder plan(String plan) {
      this.plan = Objects.requireNonNull(plan, "plan");
      return this;
    }

    /**
     * The service name: lowercase letters, digits and hyphens, starting with a letter, at most 63 characters.
     *
     * @param serviceName the service name: lowercase letters, digits and hyphens, starting with a letter, at most 63
     *     characters
     * @return this builder
     */
    public Builder serviceName(String serviceName) {
      this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
      return this;
    }

    /**
     * Makes the options.
     *
     * @return the options, with what was set
     */
    public MstOptions build() {
      return new MstOptions(this);
    }
  }
}
