package dev.cloudpg.azure.internal;

import dev.cloudpg.PostgresCluster;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.AksOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** The deterministic names of the Azure resources, so that every run finds what an earlier run made. */
final class Names {
  /** The blob container of the backups, as the guide names it. */
  static final String BACKUP_CONTAINER = "backups";
  static final String OPERATOR_NAMESPACE = "cnpg-system";
  static final String DATABASE_NAMESPACE = "cnpg-database";
  static final String SYSTEM_POOL = "system";
  static final String POSTGRES_POOL = "postgres";

  private Names() {}

  static String vnet(String network) {
    return "vnet-" + network;
  }

  static String identity(PostgresCluster db) {
    return "id-" + db.name();
  }

  static String aks(PostgresCluster db) {
    return "aks-" + db.name();
  }

  static String logAnalytics(PostgresCluster db) {
    return "log-" + db.name();
  }

  static String monitorWorkspace(PostgresCluster db) {
    return "amw-" + db.name();
  }

  /** Grafana names are 2-23 characters. */
  static String grafana(PostgresCluster db) {
    String name = "graf-" + db.name();
    return name.length() <= 23 ? name : name.substring(0, 23).replaceAll("-+$", "");
  }

  static String publicIp(PostgresCluster db) {
    return "pip-" + db.name();
  }

  static String federatedCredential(PostgresCluster db) {
    return "fic-" + db.name() + "-cnpg";
  }

  static String nodeResourceGroup(AzureContext azure, Stack stack, PostgresCluster db) {
    return options(db).nodeResourceGroup().orElse(azure.resourceGroup(stack.name()) + "-" + db.name() + "-nodes");
  }

  /**
   * The storage account: the stack's and database's letters and digits, cut to 16, then hex digits of a hash of
   * subscription, group, stack and database up to 24 characters. Storage account names are global, so the suffix
   * keeps two stacks of the same name in different subscriptions apart while every run of one stack finds the same
   * name.
   */
  static String storageAccount(AzureContext azure, Stack stack, PostgresCluster db) {
    return options(db).storageAccountName().orElseGet(() -> {
      String letters = (stack.name() + db.name()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
      String base = letters.length() > 16 ? letters.substring(0, 16) : letters;
      String seed = azure.subscription() + "/" + azure.resourceGroup(stack.name()) + "/" + stack.name() + "/"
          + db.name();
      return base + hex(seed).substring(0, 24 - base.length());
    });
  }

  static AksOptions options(PostgresCluster db) {
    return db.option(AksOptions.class).orElse(AksOptions.defaults());
  }

  private static String hex(String seed) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(seed.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
