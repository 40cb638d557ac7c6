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
 *     .addOptions(AksOptions.builder().kubernetesVersion("1.32").addAuthorizedIpRanges("203.0.113.7/32").build())
 *     .build()
 * }</pre>
 *
 * <p>The defaults follow the AKS guide for highly available PostgreSQL: a system pool of {@code standard_d2s_v3}
 * scaling 2..3 and a {@code postgres} pool scaling 3..6 (its VM size from the cluster's {@link InstanceSize}: SMALL
 * {@code standard_d2s_v3}, MEDIUM {@code standard_d4s_v3}, LARGE {@code standard_d8s_v3}, XLARGE
 * {@code standard_d16s_v3}), both over zones 1, 2 and 3; AKS's default Kubernetes version; the API server open to
 * any address; monitoring on (Managed Grafana, an Azure Monitor workspace with managed Prometheus, Container Insights
 * on a Log Analytics workspace); CloudNativePG {@value #DEFAULT_CNPG_VERSION} from its release manifest; 32 GiB of
 * storage per instance.
 */
public final class AksOptions implements ProviderOptions {
  /** The CloudNativePG release installed unless told otherwise. */
  public static final String DEFAULT_CNPG_VERSION = "1.27.1";

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
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The options with every default. */
  public static AksOptions defaults() {
    return builder().build();
  }

  /** The VM size of the {@code postgres} pool for a neutral size. */
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

  /** The Kubernetes version ({@code 1.32}); empty for AKS's default. */
  public Optional<String> kubernetesVersion() {
    return Optional.ofNullable(kubernetesVersion);
  }

  public String systemVmSize() {
    return systemVmSize;
  }

  public int systemMinCount() {
    return systemMin;
  }

  public int systemMaxCount() {
    return systemMax;
  }

  /** The VM size of the {@code postgres} pool; empty to follow the cluster's {@link InstanceSize}. */
  public Optional<String> postgresVmSize() {
    return Optional.ofNullable(postgresVmSize);
  }

  public int postgresMinCount() {
    return postgresMin;
  }

  public int postgresMaxCount() {
    return postgresMax;
  }

  /** The availability zones of both node pools and of the public IP. */
  public List<String> zones() {
    return zones;
  }

  /** The CIDR blocks allowed to reach the API server; empty for no restriction. */
  public List<String> authorizedIpRanges() {
    return authorizedIpRanges;
  }

  /** Whether Grafana, managed Prometheus and Container Insights are set up. */
  public boolean monitoring() {
    return monitoring;
  }

  public String cnpgVersion() {
    return cnpgVersion;
  }

  /** Where the operator manifest is read: the release's own manifest on GitHub unless given. */
  public URI cnpgManifest() {
    return cnpgManifest != null ? cnpgManifest : URI.create("https://github.com/cloudnative-pg/cloudnative-pg/"
        + "releases/download/v" + cnpgVersion + "/cnpg-" + cnpgVersion + ".yaml");
  }

  /** The persistent volume size of each PostgreSQL instance, in Kubernetes quantity syntax ({@code 32Gi}). */
  public String storageSize() {
    return storageSize;
  }

  /** The backup storage account's name; empty for a name derived from the stack with a deterministic suffix. */
  public Optional<String> storageAccountName() {
    return Optional.ofNullable(storageAccountName);
  }

  /** The name of the group AKS puts the nodes in; empty for {@code <resource group>-<database>-nodes}. */
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
        storageAccountName, nodeResourceGroup);
  }

  @Override
  public String toString() {
    return "AksOptions{kubernetesVersion=" + kubernetesVersion + ", system=" + systemVmSize + " " + systemMin + ".."
        + systemMax + ", postgres=" + postgresVmSize + " " + postgresMin + ".." + postgresMax + ", zones=" + zones
        + ", authorizedIpRanges=" + authorizedIpRanges + ", monitoring=" + monitoring + ", cnpg=" + cnpgVersion
        + (cnpgManifest == null ? "" : " from " + cnpgManifest) + ", storageSize=" + storageSize
        + ", storageAccountName=" + storageAccountName + ", nodeResourceGroup=" + nodeResourceGroup + "}";
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

    private Builder() {}

    public Builder kubernetesVersion(String version) {
      this.kubernetesVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    /** The system pool: VM size and autoscaler range. */
    public Builder systemPool(String vmSize, int minCount, int maxCount) {
      this.systemVmSize = Objects.requireNonNull(vmSize, "vmSize");
      this.systemMin = minCount;
      this.systemMax = maxCount;
      return this;
    }

    /** The {@code postgres} pool: VM size and autoscaler range. */
    public Builder postgresPool(String vmSize, int minCount, int maxCount) {
      this.postgresVmSize = Objects.requireNonNull(vmSize, "vmSize");
      this.postgresMin = minCount;
      this.postgresMax = maxCount;
      return this;
    }

    /** The {@code postgres} pool's autoscaler range, its VM size following the cluster's size. */
    public Builder postgresPool(int minCount, int maxCount) {
      this.postgresMin = minCount;
      this.postgresMax = maxCount;
      return this;
    }

    public Builder zones(String... zones) {
      this.zones = List.of(zones);
      return this;
    }

    public Builder addAuthorizedIpRanges(String... cidrs) {
      this.authorizedIpRanges.addAll(List.of(cidrs));
      return this;
    }

    public Builder monitoring(boolean on) {
      this.monitoring = on;
      return this;
    }

    /** The CloudNativePG release ({@code 1.27.1}) whose manifest is installed. */
    public Builder cnpgVersion(String version) {
      this.cnpgVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    /** Reads the operator manifest from here instead of the release on GitHub: a mirror, or a {@code file:} URI. */
    public Builder cnpgManifest(URI manifest) {
      this.cnpgManifest = Objects.requireNonNull(manifest, "manifest");
      return this;
    }

    public Builder storageSize(String quantity) {
      this.storageSize = Objects.requireNonNull(quantity, "quantity");
      return this;
    }

    /** The backup storage account's name: 3-24 lowercase letters and digits, unique in all of Azure. */
    public Builder storageAccountName(String name) {
      this.storageAccountName = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder nodeResourceGroup(String name) {
      this.nodeResourceGroup = Objects.requireNonNull(name, "name");
      return this;
    }

    public AksOptions build() {
      return new AksOptions(this);
    }
  }
}
