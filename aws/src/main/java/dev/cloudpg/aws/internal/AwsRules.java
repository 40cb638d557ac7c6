package dev.cloudpg.aws.internal;

import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.Stack;
import dev.cloudpg.aws.AuroraOptions;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Violations;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** AWS's own rules for a stack, checked before any cloud call: what the core rules cannot know about AWS. */
public final class AwsRules {
  /** AWS region names: {@code eu-west-1}, {@code us-gov-west-1}, {@code ap-southeast-3}. */
  public static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
  private static final Pattern INSTANCE_CLASS = Pattern.compile("db\\.[a-z0-9-]+\\.[a-z0-9]+");
  private static final Pattern RDS_IDENTIFIER = Pattern.compile("[a-z](-?[a-z0-9])*");
  private static final Pattern ENGINE_VERSION = Pattern.compile("[0-9]{1,2}(\\.[0-9]{1,3}){0,2}");
  private static final int RDS_IDENTIFIER_MAX = 63;

  private AwsRules() {}

  /**
   * AWS's rules for tags, which every resource of the stack carries: keys of 1 to 128 characters, values of at most
   * 256, only the characters {@link #TAG_TEXT} allows, and no key starting with {@code aws:}, which AWS reserves.
   */
  static void tags(String path, Map<String, String> tags, Violations v) {
    tags.forEach((key, value) -> {
      String at = path + "[" + key + "]";
      if (key.isEmpty() || key.length() > 128) {
        v.add(at, key, "is not an AWS tag key: keys hold 1 to 128 characters");
      } else if (!TAG_TEXT.matcher(key).matches()) {
        v.add(at, key, "is not an AWS tag key: letters, digits, spaces and _ . : / = + - @ only");
      } else if (key.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
        v.add(at, key, "starts with aws:, which AWS reserves for its own tags");
      }
      if (value.length() > 256) {
        v.add(at, value, "is not an AWS tag value: values hold at most 256 characters");
      } else if (!TAG_TEXT.matcher(value).matches()) {
        v.add(at, value, "is not an AWS tag value: letters, digits, spaces and _ . : / = + - @ only");
      }
    });
  }

  /** The characters AWS allows in tag keys and values: letters, digits, spaces and {@code _ . : / = + - @}. */
  private static final java.util.regex.Pattern TAG_TEXT =
      java.util.regex.Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

  /** Adds every problem of {@code stack} on AWS to {@code v}. */
  static void validate(Stack stack, Violations v) {
    tags("tags", stack.tags(), v);
    stack.networks().forEach(n -> tags(n.path() + ".tags", n.tags(), v));
    stack.databases().forEach(db -> tags(db.path() + ".tags", db.tags(), v));
    stack.peerings().forEach(p -> tags(p.path() + ".tags", p.tags(), v));
    for (Network n : stack.networks()) {
      List<PostgresCluster> dbs = AwsGraph.databasesOn(stack, n);
      if (!dbs.isEmpty() && n.zones() < 2) {
        v.add(n.path() + ".zones", n.zones(), "must be at least 2: an Aurora DB subnet group needs subnets in two "
            + "availability zones (" + dbs.get(0).path() + " uses this network)");
      }
      n.cidr().flatMap(Cidr::tryParse).ifPresent(c -> {
        try {
          SubnetResource.slots(c, n.zones());
        } catch (IllegalArgumentException e) {
          v.add(n.path() + ".cidr", c, "is too small for " + n.zones() + " subnets of at least /"
              + SubnetResource.MIN_SUBNET_PREFIX + ", the smallest AWS allows");
        }
      });
    }
    Map<String, String> clusterIds = new HashMap<>();
    for (PostgresCluster db : stack.databases()) {
      validateDatabase(db, v);
      String id = Names.cluster(db);
      String earlier = clusterIds.putIfAbsent(id, db.path());
      if (earlier != null) {
        v.add(db.path() + ".name", id, "gives the same DB cluster identifier as " + earlier);
      }
    }
    for (Peering p : stack.peerings()) {
      PeerNetwork peer = p.peer();
      if (peer.kind() == PeerNetwork.Kind.AZURE_VNET) {
        v.add(p.path() + ".peer.kind", peer.kind(), "is not an AWS network; AwsCloud peers with AWS VPCs only");
      }
      peer.region().ifPresent(r -> {
        if (!REGION.matcher(r).matches()) {
          v.add(p.path() + ".peer.region", r, "is not an AWS region name such as eu-west-1");
        }
      });
    }
  }

  private static void validateDatabase(PostgresCluster db, Violations v) {
    Optional<AuroraOptions> options = db.option(AuroraOptions.class);
    String id = Names.cluster(db);
    String idPath = options.flatMap(AuroraOptions::clusterIdentifier).isPresent()
        ? db.path() + ".options.clusterIdentifier" : db.path() + ".name";
    int max = RDS_IDENTIFIER_MAX - ("-instance-" + db.instances()).length();
    if (id.length() > max) {
      v.add(idPath, id, "is too long for a DB cluster identifier: at most " + max + " characters, so that instance "
          + "identifiers (" + Names.instance("<cluster>", db.instances()) + ") fit in " + RDS_IDENTIFIER_MAX);
    } else if (!RDS_IDENTIFIER.matcher(id).matches()) {
      v.add(idPath, id, "is not a DB cluster identifier: lowercase letters, digits and single hyphens, starting "
          + "with a letter and not ending with a hyphen");
    }
    options.flatMap(AuroraOptions::instanceClass).ifPresent(c -> {
      if (!INSTANCE_CLASS.matcher(c).matches()) {
        v.add(db.path() + ".options.instanceClass", c, "is not a DB instance class such as db.r7g.large");
      }
    });
    options.flatMap(AuroraOptions::engineVersion).ifPresent(e -> {
      if (!ENGINE_VERSION.matcher(e).matches()) {
        v.add(db.path() + ".options.engineVersion", e, "is not an Aurora PostgreSQL engine version such as 16.4");
      }
    });
    options.flatMap(AuroraOptions::kmsKeyId).ifPresent(k -> {
      if (k.isBlank()) {
        v.add(db.path() + ".options.kmsKeyId", k, "must not be blank");
      }
    });
    if (db.port() < 1150) {
      v.add(db.path() + ".port", db.port(), "must be between 1150 and 65535 on Aurora PostgreSQL");
    }
    if (db.masterUsername().equals("rdsadmin")) {
      v.add(db.path() + ".masterUsername", db.masterUsername(), "is reserved by RDS");
    }
    db.masterPassword().ifPresent(p -> {
      String value = p.reveal();
      boolean printable = value.chars().allMatch(ch -> ch > 32 && ch < 127);
      if (!printable || value.indexOf('/') >= 0 || value.indexOf('"') >= 0 || value.indexOf('@') >= 0) {
        v.add(db.path() + ".masterPassword", p, "may hold printable ASCII characters only, without '/', '\"', '@' "
            + "or spaces");
      }
    });
  }
}
