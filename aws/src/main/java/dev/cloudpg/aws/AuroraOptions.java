package dev.cloudpg.aws;

import dev.cloudpg.InstanceSize;
import dev.cloudpg.ProviderOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * Aurora-specific settings of a {@link dev.cloudpg.PostgresCluster}, attached with {@code .addOptions(..)}:
 *
 * <pre>{@code
 * PostgresCluster.builder().name("keycloak").network("db")
 *     .addOptions(AuroraOptions.builder().instanceClass("db.r7g.xlarge").engineVersion("17.5").build())
 *     .build()
 * }</pre>
 *
 * <p>Without options, the instance class follows the cluster's {@link InstanceSize} ({@link #instanceClassFor}), the
 * engine version is the spec's {@code version}, the cluster identifier is the database's name, Performance Insights is
 * on, storage is encrypted with the account's default RDS key, changes of version and class apply at once and a major
 * version upgrade is refused.
 */
public final class AuroraOptions implements ProviderOptions {
  private final String instanceClass;
  private final String engineVersion;
  private final String clusterIdentifier;
  private final boolean performanceInsights;
  private final String kmsKeyId;
  private final boolean applyDuringMaintenanceWindow;
  private final boolean allowMajorVersionUpgrade;

  private AuroraOptions(Builder b) {
    this.applyDuringMaintenanceWindow = b.applyDuringMaintenanceWindow;
    this.allowMajorVersionUpgrade = b.allowMajorVersionUpgrade;
    this.instanceClass = b.instanceClass;
    this.engineVersion = b.engineVersion;
    this.clusterIdentifier = b.clusterIdentifier;
    this.performanceInsights = b.performanceInsights;
    this.kmsKeyId = b.kmsKeyId;
  }

  /**
   * A builder with the defaults above.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The options with every default.
   *
   * @return options that change nothing from the defaults
   */
  public static AuroraOptions defaults() {
    return builder().build();
  }

  /**
   * The DB instance class of every instance ({@code db.r7g.large}), overriding the neutral size.
   *
   * @return the instance class; empty to follow the cluster's {@link InstanceSize}
   */
  public Optional<String> instanceClass() {
    return Optional.ofNullable(instanceClass);
  }

  /**
   * The exact Aurora PostgreSQL engine version ({@code 16.4}), overriding the spec's {@code version}.
   *
   * @return the engine version; empty to use the spec's {@code version}
   */
  public Optional<String> engineVersion() {
    return Optional.ofNullable(engineVersion);
  }

  /**
   * The DB cluster identifier, instead of the database's name; instances are named {@code <cluster>-instance-<n>}.
   *
   * @return the cluster identifier; empty to use the database's name
   */
  public Optional<String> clusterIdentifier() {
    return Optional.ofNullable(clusterIdentifier);
  }

  /**
   * Whether Performance Insights is enabled on the instances when they are created (default true).
   *
   * @return true when new instances get Performance Insights
   */
  public boolean performanceInsights() {
    return performanceInsights;
  }

  /**
   * The KMS key that encrypts the cluster's storage; the account's default RDS key when absent.
   *
   * @return the KMS key id, ARN or alias; empty for the account's default RDS key
   */
  public Optional<String> kmsKeyId() {
    return Optional.ofNullable(kmsKeyId);
  }

  /**
   * The Aurora instance class cloudpg uses for a neutral size: current Graviton memory-optimised classes from
   * {@code MEDIUM} up ({@code MEDIUM} db.r8g.large, {@code LARGE} db.r8g.xlarge, {@code XLARGE} db.r8g.2xlarge,
   * {@code XXLARGE} db.r8g.4xlarge); {@code SMALL} is db.t4g.medium, a burstable class AWS recommends for development
   * and tests only, which the plan notes.
   *
   * @param size the neutral size
   * @return the Aurora DB instance class
   * @throws IllegalArgumentException if cloudpg knows no instance class for {@code size}
   * @throws NullPointerException if {@code size} is null
   */
  public static String instanceClassFor(InstanceSize size) {
    switch (size) {
      case SMALL:
        return "db.t4g.medium";
      case MEDIUM:
        return "db.r8g.large";
      case LARGE:
        return "db.r8g.xlarge";
      case XLARGE:
        return "db.r8g.2xlarge";
      case XXLARGE:
        return "db.r8g.4xlarge";
      default:
        throw new IllegalArgumentException("no Aurora instance class for " + size);
    }
  }

  /**
   * Whether engine version and instance class changes wait for the maintenance window ({@code ApplyImmediately}
   * false) instead of applying at once.
   *
   * @return true to defer those changes; false by default
   */
  public boolean applyDuringMaintenanceWindow() {
    return applyDuringMaintenanceWindow;
  }

  /**
   * Whether a higher major engine version than the cluster runs is upgraded in place ({@code AllowMajorVersionUpgrade},
   * with the default cluster parameter group of the new family) instead of refused.
   *
   * @return true to allow major upgrades; false by default
   */
  public boolean allowMajorVersionUpgrade() {
    return allowMajorVersionUpgrade;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AuroraOptions)) {
      return false;
    }
    AuroraOptions other = (AuroraOptions) o;
    return Objects.equals(instanceClass, other.instanceClass) && Objects.equals(engineVersion, other.engineVersion)
        && Objects.equals(clusterIdentifier, other.clusterIdentifier)
        && performanceInsights == other.performanceInsights && Objects.equals(kmsKeyId, other.kmsKeyId)
        && applyDuringMaintenanceWindow == other.applyDuringMaintenanceWindow
        && allowMajorVersionUpgrade == other.allowMajorVersionUpgrade;
  }

  @Override
  public int hashCode() {
    return Objects.hash(instanceClass, engineVersion, clusterIdentifier, performanceInsights, kmsKeyId,
        applyDuringMaintenanceWindow, allowMajorVersionUpgrade);
  }

  @Override
  public String toString() {
    return "AuroraOptions{instanceClass=" + instanceClass + ", engineVersion=" + engineVersion
        + ", clusterIdentifier=" + clusterIdentifier + ", performanceInsights=" + performanceInsights
        + ", kmsKeyId=" + kmsKeyId + ", applyDuringMaintenanceWindow=" + applyDuringMaintenanceWindow
        + ", allowMajorVersionUpgrade=" + allowMajorVersionUpgrade + "}";
  }

  /** Builds {@link AuroraOptions}; values are checked when a stack using them is planned. */
  public static final class Builder {
    private String instanceClass;
    private String engineVersion;
    private String clusterIdentifier;
    private boolean performanceInsights = true;
    private String kmsKeyId;
    private boolean applyDuringMaintenanceWindow;
    private boolean allowMajorVersionUpgrade;

    private Builder() {}

    /**
     * Whether engine version and instance class changes wait for the maintenance window (default false: at once).
     *
     * @param applyDuringMaintenanceWindow true to defer those changes to the maintenance window
     * @return this builder
     */
    public Builder applyDuringMaintenanceWindow(boolean applyDuringMaintenanceWindow) {
      this.applyDuringMaintenanceWindow = applyDuringMaintenanceWindow;
      return this;
    }

    /**
     * Whether a higher major engine version is upgraded in place (default false: refused while planning).
     *
     * @param allowMajorVersionUpgrade true to allow major version upgrades
     * @return this builder
     */
    public Builder allowMajorVersionUpgrade(boolean allowMajorVersionUpgrade) {
      this.allowMajorVersionUpgrade = allowMajorVersionUpgrade;
      return this;
    }

    /**
     * The DB instance class of every instance, such as {@code db.r7g.xlarge}.
     *
     * @param instanceClass the instance class
     * @return this builder
     * @throws NullPointerException if {@code instanceClass} is null
     */
    public Builder instanceClass(String instanceClass) {
      this.instanceClass = Objects.requireNonNull(instanceClass, "instanceClass");
      return this;
    }

    /**
     * The exact engine version, such as {@code 17.5}; overrides the spec's version.
     *
     * @param engineVersion the Aurora PostgreSQL engine version
     * @return this builder
     * @throws NullPointerException if {@code engineVersion} is null
     */
    public Builder engineVersion(String engineVersion) {
      this.engineVersion = Objects.requireNonNull(engineVersion, "engineVersion");
      return this;
    }

    /**
     * The DB cluster identifier, when the database's name will not do.
     *
     * @param clusterIdentifier the DB cluster identifier
     * @return this builder
     * @throws NullPointerException if {@code clusterIdentifier} is null
     */
    public Builder clusterIdentifier(String clusterIdentifier) {
      this.clusterIdentifier = Objects.requireNonNull(clusterIdentifier, "clusterIdentifier");
      return this;
    }

    /**
     * Whether new instances get Performance Insights (default true).
     *
     * @param performanceInsights true to enable Performance Insights on new instances
     * @return this builder
     */
    public Builder performanceInsights(boolean performanceInsights) {
      this.performanceInsights = performanceInsights;
      return this;
    }

    /**
     * The KMS key (id, ARN or alias) that encrypts the cluster's storage.
     *
     * @param kmsKeyId the KMS key's id, ARN or alias
     * @return this builder
     * @throws NullPointerException if {@code kmsKeyId} is null
     */
    public Builder kmsKeyId(String kmsKeyId) {
      this.kmsKeyId = Objects.requireNonNull(kmsKeyId, "kmsKeyId");
      return this;
    }

    /**
     * The options; their values are checked when a stack using them is planned.
     *
     * @return the options
     */
    public AuroraOptions build() {
      return new AuroraOptions(this);
    }
  }
}
