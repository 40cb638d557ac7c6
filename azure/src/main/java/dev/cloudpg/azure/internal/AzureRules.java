package dev.cloudpg.azure.internal;

import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.AksOptions;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Text;
import dev.cloudpg.spi.Violations;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Azure provider's rules, checked before any request: Azure's naming rules, the address ranges AKS keeps for
 * itself, the AKS and CloudNativePG options, and peers (VNets only, with a credential for another tenant's).
 * Immutable and thread-safe.
 */
public final class AzureRules {
  /** Azure region names: {@code westus3}, {@code northeurope}. */
  public static final Pattern REGION = Pattern.compile("[a-z]+[a-z0-9]*");
  private static final Pattern STORAGE_ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
  private static final Pattern KUBERNETES_VERSION = Pattern.compile("[1-9]\\.[0-9]{1,2}(\\.[0-9]{1,2})?");
  private static final Pattern RELEASE = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+");
  private static final Pattern BACKUP_SCHEDULE = Pattern.compile("[-0-9*/,A-Za-z?]+( [-0-9*/,A-Za-z?]+){5}");
  private static final Pattern QUANTITY = Pattern.compile("[1-9][0-9]*(Mi|Gi|Ti)");
  private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w._()]{1,89}[-\\w_()]");
  private static final Pattern VNET = Pattern.compile("[A-Za-z0-9]([-\\w.]{0,62}[\\w])?");
  private static final Pattern VM_SIZE = Pattern.compile("(?i)standard_[a-z0-9_]+");
  /** What ARM allows in a tag name: anything but {@code < > % & \\ ? /}. */
  private static final Pattern TAG_NAME = Pattern.compile("[^<>%&\\\\?/]+");
  private static final int MAX_TAGS = 50;
  private static final Set<String> ZONES = Set.of("1", "2", "3");
  /** The addresses AKS keeps for itself by default: the overlay's pods and the cluster's services. */
  private static final List<Cidr> AKS_RESERVED = List.of(Cidr.parse(AksClusterResource.POD_CIDR),
      Cidr.parse("10.0.0.0/16"));

  private final AzureContext azure;

  AzureRules(AzureContext azure) {
    this.azure = azure;
  }

  /** Adds the Azure rules for {@code stack} to {@code v}: tags, names, address spaces, options, peers. */
  void validate(Stack stack, Violations v) {
    tags(stack, v);
    String group = azure.resourceGroup(stack.name());
    if (!RESOURCE_GROUP.matcher(group).matches()) {
      v.add("resourceGroup", group, "is not a resource group name: 1 to 90 letters, digits, '-', '_', '.', '(' "
          + "or ')', not ending with '.'");
    }
    for (Network n : stack.networks()) {
      Cidr space = Cidr.parse(n.cidr().orElse(VirtualNetworkResource.DEFAULT_CIDR));
      for (Cidr reserved : AKS_RESERVED) {
        if (space.overlaps(reserved)) {
          v.add(n.path() + ".cidr", space, "overlaps " + reserved + ", which AKS uses for pods or services");
        }
      }
    }
    Map<String, String> grafanas = new HashMap<>();
    for (PostgresCluster db : stack.databases()) {
      validateDatabase(stack, db, v);
      String earlier = grafanas.putIfAbsent(Names.grafana(db), db.path());
      if (earlier != null && Names.options(db).monitoring()) {
        v.add(db.path() + ".name", db.name(), "gives the same Grafana name (" + Text.quote(Names.grafana(db))
            + ", at most 23 characters) as " + earlier + "; shorten one of them");
      }
    }
    for (Peering p : stack.peerings()) {
      if (p.peer().kind() != PeerNetwork.Kind.AZURE_VNET) {
        v.add(p.path() + ".peer.kind", p.peer().kind(), "is not an Azure VNet; AzureCloud peers with VNets only: "
            + "use PeerNetwork.azureVnet(subscription, resourceGroup, vnet)");
        continue;
      }
      PeerNetwork peer = p.peer();
      if (!Guids.isGuid(peer.subscription().orElse(azure.subscription()))) {
        v.add(p.path() + ".peer.subscription", peer.subscription().orElse(""), "is not a subscription id (a GUID)");
      }
      if (!RESOURCE_GROUP.matcher(peer.resourceGroup().orElse("")).matches()) {
        v.add(p.path() + ".peer.resourceGroup", peer.resourceGroup().orElse(""), "is not a resource group name");
      }
      if (!VNET.matcher(peer.reference()).matches()) {
        v.add(p.path() + ".peer.reference", peer.reference(), "is not a VNet name: 2 to 64 letters, digits, '-', "
            + "'_' or '.', starting with a letter or digit and not ending with '-' or '.'");
      }
      peer.tenant().ifPresent(t -> {
        if (!Guids.isGuid(t)) {
          v.add(p.path() + ".peer.tenant", t, "is not a tenant id (a GUID)");
        } else if (azure.tenant().isEmpty()) {
          v.add(p.path() + ".peer.tenant", t, "cannot be compared with the cloud's tenant: give the cloud its tenant "
              + "with AzureCloud.builder().tenant(..)");
        } else if (otherTenant(peer).isPresent() && !azure.hasTenant(t)) {
          v.add(p.path() + ".peer.tenant", t, "is another tenant, and the cloud has no credential for it: give one "
              + "with AzureCloud.builder().auxiliaryCredential(tenant, credential)");
        }
      });
    }
  }

  /**
   * ARM's rules for the tags the stack's resources carry (the stack's own, a network's on its VNet, a database's on
   * each resource of its platform, plus cloudpg's), beyond the lengths the spec already checks (names up to 128
   * characters, which storage accounts allow, values up to 256): no {@code < > % & \ ? /} in a name, and at most 50
   * tags on a resource.
   */
  private static void tags(Stack stack, Violations v) {
    tagNames("tags", stack.tags(), v);
    boolean stackFits = tagCount("tags", stack.tags().size(), stack.databases().isEmpty() ? 2 : 3, v);
    for (Network n : stack.networks()) {
      tagNames(n.path() + ".tags", n.tags(), v);
      if (stackFits && !n.tags().isEmpty()) {
        tagCount(n.path() + ".tags", together(stack.tags(), n.tags()), 2, v);
      }
    }
    for (PostgresCluster db : stack.databases()) {
      tagNames(db.path() + ".tags", db.tags(), v);
      if (stackFits && !db.tags().isEmpty()) {
        tagCount(db.path() + ".tags", together(stack.tags(), db.tags()), 3, v);
      }
    }
  }

  /** How many tags a resource gets from the stack's and its own: a name in both is sent once. */
  private static int together(Map<String, String> stackTags, Map<String, String> own) {
    Set<String> names = new java.util.HashSet<>(stackTags.keySet());
    names.addAll(own.keySet());
    return names.size();
  }

  private static void tagNames(String path, Map<String, String> tags, Violations v) {
    tags.keySet().stream().filter(key -> !key.isEmpty() && !TAG_NAME.matcher(key).matches()).forEach(key ->
        v.add(path + "[" + key + "]", key, "is not an Azure tag name: ARM refuses the characters < > % & \\ ? / in "
            + "tag names"));
  }

  /**
   * @param given the tags the spec gives a resource: the stack's, and the network's or database's
   * @return whether they fit
   */
  private static boolean tagCount(String path, int given, int own, Violations v) {
    if (given + own > MAX_TAGS) {
      v.add(path, given + " tags", "are too many: ARM allows " + MAX_TAGS + " tags on a resource, the stack's and "
          + "these together, and cloudpg adds up to " + own + " of its own, so give at most " + (MAX_TAGS - own)
          + " in all");
      return false;
    }
    return true;
  }

  private void validateDatabase(Stack stack, PostgresCluster db, Violations v) {
    AksOptions o = Names.options(db);
    String path = db.path() + ".options";
    // A monitored database's container insights rule is keyed <name>-insights, as another's Prometheus rule would be.
    stack.databases().stream().filter(other -> Names.options(other).monitoring() && o.monitoring()
        && db.name().equals(other.name() + "-insights")).findFirst().ifPresent(other -> v.add(db.path() + ".name",
            db.name(), "is the name of database " + other.name() + "'s container insights rule; name it otherwise"));
    if (db.port() != 5432) {
      v.add(db.path() + ".port", db.port(), "must be 5432: CloudNativePG serves PostgreSQL on its standard port");
    }
    if (db.masterUsername().equals("postgres")) {
      v.add(db.path() + ".masterUsername", db.masterUsername(), "is CloudNativePG's superuser; the database owner "
          + "needs another name");
    }
    o.storageAccountName().ifPresent(name -> {
      if (!STORAGE_ACCOUNT.matcher(name).matches()) {
        v.add(path + ".storageAccountName", name, "is not a storage account name: 3 to 24 lowercase letters and "
            + "digits");
      }
    });
    String node = Names.nodeResourceGroup(azure, stack, db);
    if (!RESOURCE_GROUP.matcher(node).matches()) {
      v.add(path + ".nodeResourceGroup", node, "is not a resource group name: 1 to 90 letters, digits, '-', '_', "
          + "'.', '(' or ')'");
    }
    o.kubernetesVersion().ifPresent(k -> {
      if (!KUBERNETES_VERSION.matcher(k).matches()) {
        v.add(path + ".kubernetesVersion", k, "is not a Kubernetes version such as 1.36 or 1.36.2");
      }
    });
    if (!RELEASE.matcher(o.cnpgVersion()).matches()) {
      v.add(path + ".cnpgVersion", o.cnpgVersion(), "is not a CloudNativePG release such as 1.30.0");
    } else if (!CnpgSupport.known(o.cnpgVersion())) {
      v.add(path + ".cnpgVersion", o.cnpgVersion(), "is not a CloudNativePG line this provider supports ("
          + CnpgSupport.lines() + ")");
    } else {
      o.kubernetesVersion().filter(k -> KUBERNETES_VERSION.matcher(k).matches())
          .filter(k -> !CnpgSupport.supports(o.cnpgVersion(), k)).ifPresent(k ->
              v.add(path + ".kubernetesVersion", k, "is not supported by CloudNativePG " + o.cnpgVersion()
                  + ", which supports Kubernetes " + CnpgSupport.kubernetesRange(o.cnpgVersion())));
    }
    if (!RELEASE.matcher(o.barmanPluginVersion()).matches()) {
      v.add(path + ".barmanPluginVersion", o.barmanPluginVersion(), "is not a Barman Cloud Plugin release such as "
          + AksOptions.DEFAULT_BARMAN_PLUGIN_VERSION);
    }
    if (o.inTreeBackup() && RELEASE.matcher(o.cnpgVersion()).matches()
        && !CnpgSupport.hasInTreeBackup(o.cnpgVersion())) {
      v.add(path + ".inTreeBackup", true, "needs CloudNativePG before 1." + CnpgSupport.IN_TREE_REMOVED
          + ", which removed the in-tree barmanObjectStore; back up through the Barman Cloud Plugin (the default)");
    }
    if (!BACKUP_SCHEDULE.matcher(o.backupSchedule()).matches()) {
      v.add(path + ".backupSchedule", o.backupSchedule(), "is not a six-field cron schedule (seconds first) such "
          + "as '0 0 0 * * *'");
    }
    for (java.util.Map.Entry<String, java.net.URI> m : java.util.Map.of("barmanPluginManifest",
        o.barmanPluginManifest(), "certManagerManifest", o.certManagerManifest()).entrySet()) {
      if (!Set.of("https", "http", "file").contains(String.valueOf(m.getValue().getScheme()))) {
        v.add(path + "." + m.getKey(), m.getValue(), "must be an https:, http: or file: URI");
      }
    }
    if (!QUANTITY.matcher(o.storageSize()).matches()) {
      v.add(path + ".storageSize", o.storageSize(), "is not a storage quantity such as 32Gi");
    }
    if (!VM_SIZE.matcher(o.systemVmSize()).matches()) {
      v.add(path + ".systemPool.vmSize", o.systemVmSize(), "is not a VM size such as standard_d2s_v3");
    }
    o.postgresVmSize().filter(size -> !VM_SIZE.matcher(size).matches()).ifPresent(size ->
        v.add(path + ".postgresPool.vmSize", size, "is not a VM size such as standard_d4s_v3"));
    String scheme = String.valueOf(o.cnpgManifest().getScheme());
    if (!Set.of("https", "http", "file").contains(scheme)) {
      v.add(path + ".cnpgManifest", o.cnpgManifest(), "must be an https:, http: or file: URI");
    }
    pool(v, path + ".systemPool", o.systemMinCount(), o.systemMaxCount());
    pool(v, path + ".postgresPool", o.postgresMinCount(), o.postgresMaxCount());
    if (db.instances() > o.postgresMaxCount()) {
      v.add(db.path() + ".instances", db.instances(), "exceeds the postgres pool's maximum of "
          + o.postgresMaxCount() + " nodes");
    }
    if (o.zones().isEmpty() || !ZONES.containsAll(o.zones())) {
      v.add(path + ".zones", o.zones(), "must be some of the availability zones 1, 2 and 3");
    }
    for (String range : o.authorizedIpRanges()) {
      Violations.cidr(v, path + ".authorizedIpRanges", range, 0, 32);
    }
  }

  private static void pool(Violations v, String path, int min, int max) {
    if (min < 1 || max < min || max > 1000) {
      v.add(path, min + ".." + max, "must be an autoscaler range with 1 <= min <= max <= 1000");
    }
  }

  /** The peer's tenant when it is not the cloud's own. */
  Optional<String> otherTenant(PeerNetwork peer) {
    return peer.tenant().filter(t -> !t.equalsIgnoreCase(azure.tenant().orElse(t)));
  }

}
