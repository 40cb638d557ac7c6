package dev.cloudpg.azure;

import dev.cloudpg.InstanceSize;
import dev.cloudpg.ProviderOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * AKS and CloudNativePG settings of a {@link dev.cloudpg.PostgresCluster}, attached with {@code .addOptions(..)}:
 *
 * <pre>{@code
 * PostgresCluster.builder().name("pg").network("aks")
 *     .addOptions(AksOptions.builder().addAuthorizedIpRanges("203.0.113.7/32").build())
 *     .build()
 * }</pre>
 *
 * <p>The defaults follow the AKS guide for highly available PostgreSQL: a system pool of {@code standard_d2s_v3}
 * scaling 2..3 and a {@code postgres} pool scaling 3..6 (its VM size from the cluster's {@link InstanceSize}: SMALL
 * {@code standard_d2s_v3}, MEDIUM {@code standard_d4s_v3}, LARGE {@code standard_d8s_v3}, XLARGE
 * {@code standard_d16s_v3}), both over zones 1, 2 and 3; AKS's default Kubernetes version; the API server open to
 * any address; monitoring on (Managed Grafana, an Azure Monitor workspace with managed Prometheus, Container Insights
 * on a Log Analytics workspace); CloudNativePG {@value #DEFAULT_CNPG_VERSION} from its release manifest; 32 GiB of
 * storage per instance; backups through the Barman Cloud Plugin {@value #DEFAULT_BARMAN_PLUGIN_VERSION} (with
 * cert-manager {@value #DEFAULT_CERT_MANAGER_VERSION} installed first when the cluster has none), WAL archived
 * continuously and a base backup every day ({@value #DEFAULT_BACKUP_SCHEDULE}).
 */
public final class AksOptions implements ProviderOptions {
  /** The CloudNativePG release installed unless told otherwise. */
  public static final String DEFAULT_CNPG_VERSION = "1.30.0";
  /** The Barman Cloud Plugin release installed for backups unless told otherwise. */
  public static final String DEFAULT_BARMAN_PLUGIN_VERSION = "0.14.0";
  /** The cert-manager release installed when the cluster has no cert-manager (the plugin needs one). */
  public static final String DEFAULT_CERT_MANAGER_VERSION = "1.19.1";
  /** Every day at midnight, in CloudNativePG's six-field cron syntax (seconds first). */
  public static final String DEFAULT_BACKUP_SCHEDULE = "0 0 0 * * *";

  private final String kubernetesVersion;
  private final String systemVmSize;
  private final int systemMin;
  private final int systemMax;
  private final String postgresVmSize;
  private final int postgresMin;
  private final int postgresMax;
  private final List<String> zones;
  private final List<String> authorizedIpRanges;
  private final boolean monitoring;
  private final String cnpgVersion;
  private final URI cnpgManifest;
  private final String storageSize;
  private final String storageAccountName;
  private final String nodeResourceGroup;
  private final String barmanPluginVersion;
  private final URI barmanPluginManifest;
  private final URI certManagerManifest;
  private final String backupSchedule;
  private final boolean inTreeBackup;

  private AksOptions(Builder b) {
    this.kubernetesVersion = b.kubernetesVersion;
    this.systemVmSize = b.systemVmSize;
    this.systemMin = b.systemMin;
    this.systemMax = b.systemMax;
    this.postgresVmSize = b.postgresVmSize;
    this.postgresMin = b.postgresMin;
    this.postgresMax = b.postgresMax;
    this.zones = List.copyOf(b.zones);
    this.authorizedIpRanges = List.copyOf(b.authorizedIpRanges);
    this.monitoring = b.monitoring;
    this.cnpgVersion = b.cnpgVersion;
    this.cnpgManifest = b.cnpgManifest;
    this.storageSize = b.storageSize;
    this.storageAccountName = b.storageAccountName;
    this.nodeResourceGroup = b.nodeResourceGroup;
    this.barmanPluginVersion = b.barmanPluginVersion;
    this.barmanPluginManifest = b.barmanPluginManifest;
    this.certManagerManifest = b.certManagerManifest;
    this.backupSchedule = b.backupSchedule;
    this.inTreeBackup = b.inTreeBackup;
  }

  /** {@return a builder with every default} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the options with every default} */
  public static AksOptions defaults() {
    return builder().build();
  }

  /**
   * The VM size of the {@code postgres} pool for a neutral size.
   *
   * @param size the cluster's neutral size
   * @return the AKS VM size, such as {@code standard_d4s_v3}
   */
  public static String vmSizeFor(InstanceSize size) {
    switch (size) {
      case SMALL:
        return "standard_d2s_v3";
      case LARGE:
        return "standard_d8s_v3";
      case XLARGE:
        return "standard_d16s_v3";
      default:
        return "standard_d4s_v3";
    }
  }

  /** {@return the Kubernetes version ({@code 1.36}); empty for AKS's default} */
  public Optional<String> kubernetesVersion() {
    return Optional.ofNullable(kubernetesVersion);
  }

  /** {@return the VM size of the system pool} */
  public String systemVmSize() {
    return systemVmSize;
  }

  /** {@return the fewest nodes the system pool's autoscaler keeps} */
  public int systemMinCount() {
    return systemMin;
  }

  /** {@return the most nodes the system pool's autoscaler makes} */
  public int systemMaxCount() {
    return systemMax;
  }

  /** {@return the VM size of the {@code postgres} pool; empty to follow the cluster's {@link InstanceSize}} */
  public Optional<String> postgresVmSize() {
    return Optional.ofNullable(postgresVmSize);
  }

  /** {@return the fewest nodes the {@code postgres} pool's autoscaler keeps} */
  public int postgresMinCount() {
    return postgresMin;
  }

  /** {@return the most nodes the {@code postgres} pool's autoscaler makes} */
  public int postgresMaxCount() {
    return postgresMax;
  }

  /** {@return the availability zones of both node pools and of the public IP} */
  public List<String> zones() {
    return zones;
  }

  /** {@return the CIDR blocks allowed to reach the API server; empty for no restriction} */
  public List<String> authorizedIpRanges() {
    return authorizedIpRanges;
  }

  /** {@return whether Grafana, managed Prometheus and Container Insights are set up} */
  public boolean monitoring() {
    return monitoring;
  }

  /** {@return the CloudNativePG release ({@code 1.30.0}) whose operator manifest is installed} */
  public String cnpgVersion() {
    return cnpgVersion;
  }

  /** {@return where the operator manifest is read: the release's own manifest on GitHub unless given} */
  public URI cnpgManifest() {
    return cnpgManifest != null ? cnpgManifest : URI.create("https://github.com/cloudnative-pg/cloudnative-pg/"
        + "releases/download/v" + cnpgVersion + "/cnpg-" + cnpgVersion + ".yaml");
  }

  /** {@return the Barman Cloud Plugin release ({@code 0.14.0}) whose manifest is installed for backups} */
  public String barmanPluginVersion() {
    return barmanPluginVersion;
  }

  /**
   * Where the Barman Cloud Plugin's manifest is read: its {@value #DEFAULT_BARMAN_PLUGIN_VERSION} release on GitHub
   * unless given. Installed in {@code cnpg-system}, beside the operator.
   *
   * @return the manifest's URI
   */
  public URI barmanPluginManifest() {
    return barmanPluginManifest != null ? barmanPluginManifest : URI.create("https://github.com/cloudnative-pg/"
        + "plugin-barman-cloud/releases/download/v" + barmanPluginVersion + "/manifest.yaml");
  }

  /**
   * {@return where cert-manager's manifest is read when the cluster has none: its pinned release on GitHub unless
   * given}
   */
  public URI certManagerManifest() {
    return certManagerManifest != null ? certManagerManifest : URI.create("https://github.com/cert-manager/"
        + "cert-manager/releases/download/v" + DEFAULT_CERT_MANAGER_VERSION + "/cert-manager.yaml");
  }

  /** {@return when base backups are taken: a {@code ScheduledBackup} schedule (six fields, seconds first)} */
  public String backupSchedule() {
    return backupSchedule;
  }

  /**
   * Whether backups use CloudNativePG's in-tree {@code spec.backup.barmanObjectStore} instead of the Barman Cloud
   * Plugin: deprecated since CloudNativePG 1.26 and removed from 1.32, so accepted only before 1.32.
   *
   * @return whether the in-tree backup is used
   */
  public boolean inTreeBackup() {
    return inTreeBackup;
  }

  /** {@return the persistent volume size of each PostgreSQL instance, in Kubernetes quantity syntax ({@code 32Gi})} */
  public String storageSize() {
    return storageSize;
  }

  /** {@return the backup storage account's name; empty for one derived from the stack with a deterministic suffix} */
  public Optional<String> storageAccountName() {
    return Optional.ofNullable(storageAccountName);
  }

  /** {@return the name of the group AKS puts the nodes in; empty for {@code <resource group>-<database>-nodes}} */
  public Optional<String> nodeResourceGroup() {
    return Optional.ofNullable(nodeResourceGroup);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AksOptions)) {
      return false;
    }
    AksOptions other = (AksOptions) o;
    return fields().equals(other.fields());
  }

  @Override
  public int hashCode() {
    return fields().hashCode();
  }

  private List<Object> fields() {
    return java.util.Arrays.asList(kubernetesVersion, systemVmSize, systemMin, systemMax, postgresVmSize,
        postgresMin, postgresMax, zones, authorizedIpRanges, monitoring, cnpgVersion, cnpgManifest, storageSize,
        storageAccountName, nodeResourceGroup, barmanPluginVersion, barmanPluginManifest, certManagerManifest,
        backupSchedule,
        inTreeBackup);
  }

  @Override
  public String toString() {
    return "AksOptions{kubernetesVersion=" + kubernetesVersion + ", system=" + systemVmSize + " " + systemMin + ".."
        + systemMax + ", postgres=" + postgresVmSize + " " + postgresMin + ".." + postgresMax + ", zones=" + zones
        + ", authorizedIpRanges=" + authorizedIpRanges + ", monitoring=" + monitoring + ", cnpg=" + cnpgVersion
        + (cnpgManifest == null ? "" : " from " + cnpgManifest) + ", storageSize=" + storageSize
        + ", storageAccountName=" + storageAccountName + ", nodeResourceGroup=" + nodeResourceGroup
        + ", backup=" + (inTreeBackup ? "in-tree" : "plugin") + " " + backupSchedule
        + ", plugin " + barmanPluginVersion + (barmanPluginManifest == null ? "" : " from " + barmanPluginManifest)
        + (certManagerManifest == null ? "" : ", cert-manager from " + certManagerManifest) + "}";
  }

  /** Builds {@link AksOptions}; see the class documentation for the defaults. */
  public static final class Builder {
    private String kubernetesVersion;
    private String systemVmSize = "standard_d2s_v3";
    private int systemMin = 2;
    private int systemMax = 3;
    private String postgresVmSize;
    private int postgresMin = 3;
    private int postgresMax = 6;
    private List<String> zones = List.of("1", "2", "3");
    private final List<String> authorizedIpRanges = new ArrayList<>();
    private boolean monitoring = true;
    private String cnpgVersion = DEFAULT_CNPG_VERSION;
    private URI cnpgManifest;
    private String storageSize = "32Gi";
    private String storageAccountName;
    private String nodeResourceGroup;
    private String barmanPluginVersion = DEFAULT_BARMAN_PLUGIN_VERSION;
    private URI barmanPluginManifest;
    private URI certManagerManifest;
    private String backupSchedule = DEFAULT_BACKUP_SCHEDULE;
    private boolean inTreeBackup;

    private Builder() {}

    /**
     * The Kubernetes version AKS runs: a minor ({@code 1.36}) or a patch ({@code 1.36.2}); AKS default unless given.
     *
     * @param version the release or version
     * @return this builder
     */
    public Builder kubernetesVersion(String version) {
      this.kubernetesVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * The system pool: VM size and autoscaler range.
     *
     * @param vmSize an Azure VM size, such as {@code standard_d4s_v3}
     * @param minCount the fewest nodes the autoscaler keeps
     * @param maxCount the most nodes the autoscaler makes
     * @return this builder
     */
    public Builder systemPool(String vmSize, int minCount, int maxCount) {
      this.systemVmSize = Objects.requireNonNull(vmSize, "vmSize");
      this.systemMin = minCount;
      this.systemMax = maxCount;
      return this;
    }

    /**
     * The {@code postgres} pool: VM size and autoscaler range.
     *
     * @param vmSize an Azure VM size, such as {@code standard_d4s_v3}
     * @param minCount the fewest nodes the autoscaler keeps
     * @param maxCount the most nodes the autoscaler makes
     * @return this builder
     */
    public Builder postgresPool(String vmSize, int minCount, int maxCount) {
      this.postgresVmSize = Objects.requireNonNull(vmSize, "vmSize");
      this.postgresMin = minCount;
      this.postgresMax = maxCount;
      return this;
    }

    /**
     * The {@code postgres} pool's autoscaler range, its VM size following the cluster's size.
     *
     * @param minCount the fewest nodes the autoscaler keeps
     * @param maxCount the most nodes the autoscaler makes
     * @return this builder
     */
    public Builder postgresPool(int minCount, int maxCount) {
      this.postgresMin = minCount;
      this.postgresMax = maxCount;
      return this;
    }

    /**
     * The availability zones of both node pools and of the public IP.
     *
     * @param zones the zones, of 1, 2 and 3
     * @return this builder
     */
    public Builder zones(String... zones) {
      this.zones = List.of(zones);
      return this;
    }

    /**
     * Adds CIDR blocks allowed to reach the API server; none means no restriction.
     *
     * @param cidrs CIDR blocks
     * @return this builder
     */
    public Builder addAuthorizedIpRanges(String... cidrs) {
      this.authorizedIpRanges.addAll(List.of(cidrs));
      return this;
    }

    /**
     * Whether Grafana, managed Prometheus and Container Insights are set up (on by default).
     *
     * @param on whether it is on
     * @return this builder
     */
    public Builder monitoring(boolean on) {
      this.monitoring = on;
      return this;
    }

    /**
     * The CloudNativePG release ({@code 1.30.0}) whose manifest is installed.
     *
     * @param version the release or version
     * @return this builder
     */
    public Builder cnpgVersion(String version) {
      this.cnpgVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * Reads the operator manifest from here instead of the release on GitHub: a mirror, or a {@code file:} URI.
     *
     * @param manifest an https:, http: or file: URI
     * @return this builder
     */
    public Builder cnpgManifest(URI manifest) {
      this.cnpgManifest = Objects.requireNonNull(manifest, "manifest");
      return this;
    }

    /**
     * The persistent volume size of each PostgreSQL instance, in Kubernetes quantity syntax ({@code 32Gi}).
     *
     * @param quantity a Kubernetes quantity
     * @return this builder
     */
    public Builder storageSize(String quantity) {
      this.storageSize = Objects.requireNonNull(quantity, "quantity");
      return this;
    }

    /**
     * The backup storage account's name: 3-24 lowercase letters and digits, unique in all of Azure.
     *
     * @param name the name
     * @return this builder
     */
    public Builder storageAccountName(String name) {
      this.storageAccountName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * The name of the group AKS puts the nodes in, instead of {@code <resource group>-<database>-nodes}.
     *
     * @param name the name
     * @return this builder
     */
    public Builder nodeResourceGroup(String name) {
      this.nodeResourceGroup = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * The Barman Cloud Plugin release ({@code 0.14.0}) whose manifest is installed; a newer one on a running cluster is
     * applied in place.
     *
     * @param version the release or version
     * @return this builder
     */
    public Builder barmanPluginVersion(String version) {
      this.barmanPluginVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * Reads the Barman Cloud Plugin's manifest from here instead of its release on GitHub.
     *
     * @param manifest an https:, http: or file: URI
     * @return this builder
     */
    public Builder barmanPluginManifest(URI manifest) {
      this.barmanPluginManifest = Objects.requireNonNull(manifest, "manifest");
      return this;
    }

    /**
     * Reads cert-manager's manifest from here instead of its release on GitHub.
     *
     * @param manifest an https:, http: or file: URI
     * @return this builder
     */
    public Builder certManagerManifest(URI manifest) {
      this.certManagerManifest = Objects.requireNonNull(manifest, "manifest");
      return this;
    }

    /**
     * When base backups are taken, in CloudNativePG's six-field cron syntax: {@code 0 30 2 * * *} is 02:30.
     *
     * @param schedule the schedule
     * @return this builder
     */
    public Builder backupSchedule(String schedule) {
      this.backupSchedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /**
     * Backs up through CloudNativePG's in-tree {@code barmanObjectStore} instead of the Barman Cloud Plugin: only for
     * CloudNativePG releases before 1.32, which removed it.
     *
     * @param on whether it is on
     * @return this builder
     */
    public Builder inTreeBackup(boolean on) {
      this.inTreeBackup = on;
      return this;
    }

    /** {@return the options; the provider checks them against the stack when it plans} */
    public AksOptions build() {
      return new AksOptions(this);
    }
  }
}
