package dev.cloudpg;

import dev.cloudpg.spi.Violations;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * A highly available PostgreSQL cluster in one of the stack's networks: one writer and {@code instances - 1} readers
 * spread over the network's zones. Aurora PostgreSQL on AWS, a CloudNativePG cluster on AKS, a TimescaleDB service on
 * Aiven.
 *
 * <pre>{@code
 * PostgresCluster.builder().name("keycloak").network("db").version("16").instances(2)
 *     .size(InstanceSize.LARGE).databaseName("keycloak").build()
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@code withName(..)} and the other {@code with} methods return a checked copy.
 */
@Value.Immutable
@SpecStyle
public abstract class PostgresCluster implements WithPostgresCluster {
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]?(\\.[0-9]{1,2})?");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /**
   * The cluster's name: a lowercase DNS label of at most 40 characters, unique among the stack's databases.
   *
   * @return the cluster's name
   */
  public abstract String name();

  /**
   * The name of the stack network that holds the cluster.
   *
   * @return the name of one of the stack's {@link Stack#networks()}
   */
  public abstract String network();

  /**
   * The PostgreSQL version, major ({@code 16}) or major.minor ({@code 16.4}); default {@code 16}.
   *
   * @return the version, as given
   */
  @Value.Default
  public String version() {
    return "16";
  }

  /**
   * Instances in the cluster, the writer included (default 2, at most 16).
   *
   * @return the number of instances, 1 to 16
   */
  @Value.Default
  public int instances() {
    return 2;
  }

  /**
   * The machine size of each instance (default {@link InstanceSize#MEDIUM}).
   *
   * @return the machine size
   */
  @Value.Default
  public InstanceSize size() {
    return InstanceSize.MEDIUM;
  }

  /**
   * The database created with the cluster (default {@code app}): a lowercase PostgreSQL identifier of at most 63
   * characters (letters, digits and {@code _}, not starting with a digit).
   *
   * @return the database's name
   */
  @Value.Default
  public String databaseName() {
    return "app";
  }

  /**
   * The administrator's user name (default {@code dbadmin}), under the same rules as {@link #databaseName()}.
   *
   * @return the administrator's user name
   */
  @Value.Default
  public String masterUsername() {
    return "dbadmin";
  }

  /**
   * The administrator's password. Absent by default: the provider generates it and keeps it in its secret store (AWS
   * Secrets Manager), and the outputs carry a reference to it, never the value.
   *
   * @return the password (8 to 128 characters), or empty to let the provider generate one
   */
  public abstract Optional<Secret> masterPassword();

  /**
   * The port clients connect to (default 5432).
   *
   * @return the TCP port, 1 to 65535
   */
  @Value.Default
  public int port() {
    return 5432;
  }

  /**
   * Days of automated backups to keep (default 7, 1 to 35).
   *
   * @return the retention in days, 1 to 35
   */
  @Value.Default
  public int backupRetentionDays() {
    return 7;
  }

  /**
   * Whether the provider refuses to delete the cluster (default on); destroy refuses while it is on.
   *
   * @return true if the cluster is protected from deletion
   */
  @Value.Default
  public boolean deletionProtection() {
    return true;
  }

  /**
   * Tags added to every resource made for this cluster, beside the stack's tags.
   *
   * @return the tags, possibly none
   */
  public abstract Map<String, String> tags();

  /**
   * Provider-specific settings, such as {@code AuroraOptions}; at most one of each type.
   *
   * @return the options, possibly none
   */
  public abstract List<ProviderOptions> options();

  /**
   * The provider option of the given type, if one is attached.
   *
   * @param <T> the option's type
   * @param type the option's class, such as {@code AuroraOptions.class}
   * @return the option, or empty when none of that type is attached
   */
  public <T extends ProviderOptions> Optional<T> option(Class<T> type) {
    return ProviderOptions.find(options(), type);
  }

  /**
   * The path of this cluster in a stack, used in validation messages: {@code databases[keycloak]}.
   *
   * @return the path, such as {@code databases[keycloak]}
   */
  public String path() {
    return "databases[" + name() + "]";
  }

  /**
   * Checks the cluster when it is built or copied: its name, version, instance count, database and user names, password
   * length, port, backup retention, tags, and that no option type is given twice.
   *
   * @throws InvalidSpecException listing every problem found
   */
  @Value.Check
  protected void check() {
    Violations v = new Violations();
    validate(v);
    v.throwIfAny();
  }

  void validate(Violations v) {
    Violations.dnsLabel(v, path() + ".name", name(), 40);
    if (!VERSION.matcher(version()).matches()) {
      v.add(path() + ".version", version(), "is not a PostgreSQL version such as 16 or 16.4");
    }
    if (instances() < 1 || instances() > 16) {
      v.add(path() + ".instances", instances(), "must be between 1 and 16");
    }
    if (!IDENTIFIER.matcher(databaseName()).matches()) {
      v.add(path() + ".databaseName", databaseName(),
          "must start with a lowercase letter or _ and hold only lowercase letters, digits and _ (at most 63)");
    }
    if (!IDENTIFIER.matcher(masterUsername()).matches()) {
      v.add(path() + ".masterUsername", masterUsername(),
          "must start with a lowercase letter or _ and hold only lowercase letters, digits and _ (at most 63)");
    }
    masterPassword().ifPresent(p -> {
      int length = p.reveal().length();
      if (length < 8 || length > 128) {
        v.add(path() + ".masterPassword", p, "must hold 8 to 128 characters");
      }
    });
    Violations.port(v, path() + ".port", port());
    if (backupRetentionDays() < 1 || backupRetentionDays() > 35) {
      v.add(path() + ".backupRetentionDays", backupRetentionDays(), "must be between 1 and 35");
    }
    Violations.tags(v, path() + ".tags", tags());
    ProviderOptions.checkUnique(v, path() + ".options", options());
  }

  /** Made by its builder only; the one subclass is the generated immutable implementation. */
  PostgresCluster() {}

  /**
   * A builder with the defaults above.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link PostgresCluster}; {@code build()} checks it and throws {@link InvalidSpecException} listing every
   * problem. The {@code name} and {@code network} are required: {@code build()} throws {@link IllegalStateException}
   * without them. Not thread-safe.
   */
  public static final class Builder extends ImmutablePostgresCluster.Builder {
    Builder() {}
  }
}
