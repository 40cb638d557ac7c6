package dev.cloudpg.mst.internal;

import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.spi.AzureSession;
import dev.cloudpg.mst.MstOptions;
import dev.cloudpg.spi.Text;
import dev.cloudpg.spi.Violations;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The mst provider's own rules for a stack, checked before any request: what MST and its peering procedure need. */
final class MstRules {
  /** Aiven service names. */
  static final Pattern SERVICE_NAME = Pattern.compile("[a-z][-a-z0-9]{0,62}");
  /** Aiven's tag keys: letters, digits and {@code _ - . :}, at most 64 characters. */
  static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  /** Aiven's longest tag value and most tags on one service. */
  static final int MAX_TAG_VALUE = 64;
  static final int MAX_TAGS = 25;
  /** Aiven plan names, such as {@code business-8}. */
  static final Pattern PLAN = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private final MstContext mst;

  MstRules(MstContext mst) {
    this.mst = mst;
  }

  void validate(Stack stack, Violations v) {
    if (stack.networks().size() > 1) {
      v.add("networks", stack.networks().size(), "MST has one project VPC per cloud: give the stack one network");
    }
    for (Network n : stack.networks()) {
      if (n.cidr().isEmpty()) {
        v.add(n.path() + ".cidr", "", "is required on MST: give the project VPC's block, which must not overlap "
            + "the peered VNet's address ranges");
      }
    }
    if (!stack.databases().isEmpty()) {
      tags(stack, v);
    }
    Map<String, String> serviceNames = new HashMap<>();
    for (PostgresCluster db : stack.databases()) {
      database(db, serviceNames, v);
    }
    for (Peering p : stack.peerings()) {
      peering(p, v);
    }
  }

  /**
   * The stack's tags, a database's own and the ownership tags go on the database's service, so they must pass
   * Aiven's tag rules.
   */
  private static void tags(Stack stack, Violations v) {
    tagRules("tags", stack.tags(), v);
    boolean stackFits = stack.tags().size() + 2 <= MAX_TAGS;
    if (!stackFits) {
      v.add("tags", stack.tags().size(), "are too many: Aiven allows " + MAX_TAGS + " tags on a service, and "
          + "cloudpg adds 2");
    }
    for (PostgresCluster db : stack.databases()) {
      tagRules(db.path() + ".tags", db.tags(), v);
      java.util.Set<String> names = new java.util.HashSet<>(stack.tags().keySet());
      names.addAll(db.tags().keySet());
      if (stackFits && !db.tags().isEmpty() && names.size() + 2 > MAX_TAGS) {
        v.add(db.path() + ".tags", db.tags().size(), "are too many with the stack's " + stack.tags().size() + ": Aiven "
            + "allows " + MAX_TAGS + " tags on a service, and cloudpg adds 2");
      }
    }
    if (stack.name().length() > MAX_TAG_VALUE) {
      v.add("name", stack.name(), "is longer than the " + MAX_TAG_VALUE + " characters of an Aiven tag value, "
          + "which the services' " + dev.cloudpg.spi.Ownership.STACK + " tag carries");
    }
  }

  private static void tagRules(String path, Map<String, String> tags, Violations v) {
    tags.forEach((key, value) -> {
      if (!TAG_KEY.matcher(key).matches()) {
        v.add(path, key, "is not an Aiven tag key: letters, digits, '_', '-', '.' and ':', at most 64");
      }
      if (value.length() > MAX_TAG_VALUE) {
        v.add(path + "[" + key + "]", value, "is longer than the " + MAX_TAG_VALUE + " characters Aiven allows");
      }
    });
  }


  private void database(PostgresCluster db, Map<String, String> serviceNames, Violations v) {
    Optional<MstOptions> options = db.option(MstOptions.class);
    String name = ServiceResource.serviceName(db);
    String namePath = options.flatMap(MstOptions::serviceName).isPresent() ? db.path() + ".options.serviceName"
        : db.path() + ".name";
    if (!SERVICE_NAME.matcher(name).matches()) {
      v.add(namePath, name, "is not an Aiven service name: lowercase letters, digits and '-', starting with a "
          + "letter, at most 63");
    } else if (Keys.service(db.name()).toString().length() > MAX_TAG_VALUE) {
      v.add(db.path() + ".name", db.name(), "is too long for MST: the service's " + dev.cloudpg.spi.Ownership.KEY
          + " tag (" + Keys.service("").toString() + "<name>) must fit the " + MAX_TAG_VALUE + " characters of an "
          + "Aiven tag value");
    }
    String earlier = serviceNames.putIfAbsent(name, db.path());
    if (earlier != null) {
      v.add(namePath, name, "gives the same service name as " + earlier);
    }
    options.flatMap(MstOptions::plan).ifPresent(p -> {
      if (!PLAN.matcher(p).matches()) {
        v.add(db.path() + ".options.plan", p, "is not an Aiven plan name such as business-8");
      }
    });
    db.masterPassword().ifPresent(p -> v.add(db.path() + ".masterPassword", p, "cannot be set on MST: it "
        + "generates the admin password, which the connection URI output carries"));
    if (db.instances() > 3 && options.flatMap(MstOptions::plan).isEmpty()) {
      v.add(db.path() + ".instances", db.instances(), "has no MST plan of its own: premium plans have three "
          + "nodes; give at most 3, or a plan with MstOptions.plan(..)");
    }
  }

  private void peering(Peering p, Violations v) {
    PeerNetwork peer = p.peer();
    if (peer.kind() != PeerNetwork.Kind.AZURE_VNET) {
      v.add(p.path() + ".peer.kind", peer.kind(), "is not an Azure VNet; MstCloud peers with Azure VNets only "
          + "(PeerNetwork.azureVnet(..))");
      return;
    }
    if (peer.cidrs().isEmpty()) {
      v.add(p.path() + ".peer.cidrs", "[]", "is required on MST: the VNet's address ranges, which MST routes to "
          + "(user_peer_network_cidrs)");
    }
    peer.subscription().filter(s -> !AzureSession.isGuid(s)).ifPresent(s -> v.add(p.path() + ".peer.subscription", s,
        "is not a subscription id (a GUID)"));
    peer.tenant().filter(t -> mst.hasAzure() && !t.equalsIgnoreCase(mst.azure().tenant().orElse(t)))
        .ifPresent(t -> v.add(p.path() + ".peer.tenant", t, "is not the tenant of the Azure side ("
            + Text.quote(mst.azure().tenant().orElse("")) + "): MST peers with VNets of the tenant its application"
            + " is registered in"));
    if (!mst.hasAzure()) {
      v.add("azure", "", "is required for " + p.path() + ": give MstCloud.builder().azure(azureCloud)");
    }
    if (mst.mstApplicationId().isEmpty()) {
      v.add("mstApplicationId", "", "is required for " + p.path() + ": MST's Azure application id, which MST's "
          + "support gives");
    }
  }
}
