package dev.cloudpg.aws.internal;

import dev.cloudpg.DatabaseOutputs;
import dev.cloudpg.Network;
import dev.cloudpg.NetworkOutputs;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PeeringOutputs;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.aws.AuroraOptions;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.Violations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The AWS provider: a network is a VPC with a subnet per zone (each explicitly associated with the main route table),
 * a security group and, when it holds databases, a DB subnet group; a database is an Aurora PostgreSQL cluster and one
 * resource per instance; a peering is a VPC peering connection, routes on both sides and an ingress rule.
 */
public final class AwsProvider implements Provider {
  /** AWS region names: {@code eu-west-1}, {@code us-gov-west-1}, {@code ap-southeast-3}. */
  public static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
  private static final Pattern INSTANCE_CLASS = Pattern.compile("db\\.[a-z0-9-]+\\.[a-z0-9]+");
  private static final Pattern RDS_IDENTIFIER = Pattern.compile("[a-z](-?[a-z0-9])*");
  private static final Pattern ENGINE_VERSION = Pattern.compile("[0-9]{1,2}(\\.[0-9]{1,3}){0,2}");
  private static final int RDS_IDENTIFIER_MAX = 63;

  private final AwsContext aws;

  public AwsProvider(AwsContext aws) {
    this.aws = aws;
  }

  @Override
  public String name() {
    return "aws";
  }

  @Override
  public void validate(Stack stack, Violations v) {
    for (Network n : stack.networks()) {
      List<PostgresCluster> dbs = databasesOn(stack, n);
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

  private static List<PostgresCluster> databasesOn(Stack stack, Network n) {
    return stack.databases().stream().filter(d -> d.network().equals(n.name())).toList();
  }

  private static List<Peering> peeringsOn(Stack stack, Network n) {
    return stack.peerings().stream().filter(p -> p.network().equals(n.name())).toList();
  }

  @Override
  public List<Resource> expand(Stack stack) {
    List<Resource> resources = new ArrayList<>();
    for (Network n : stack.networks()) {
      List<PostgresCluster> dbs = databasesOn(stack, n);
      VpcResource vpc = new VpcResource(aws, stack, n, dbs.isEmpty() ? null : Names.cluster(dbs.get(0)),
          peeringsOn(stack, n));
      resources.add(vpc);
      List<ResourceKey> subnets = new ArrayList<>();
      for (int i = 0; i < n.zones(); i++) {
        SubnetResource subnet = new SubnetResource(aws, stack, n, i, vpc.key());
        resources.add(subnet);
        subnets.add(subnet.key());
        resources.add(new RouteTableAssociationResource(aws, stack, subnet.key().name(), subnet.key(), vpc.key()));
      }
      SecurityGroupResource group = new SecurityGroupResource(aws, stack, n, vpc.key());
      resources.add(group);
      if (dbs.isEmpty()) {
        continue;
      }
      DbSubnetGroupResource subnetGroup = new DbSubnetGroupResource(aws, stack, n, subnets);
      resources.add(subnetGroup);
      for (PostgresCluster db : dbs) {
        AuroraClusterResource cluster = new AuroraClusterResource(aws, stack, db, subnetGroup.key(), group.key());
        resources.add(cluster);
        for (int i = 1; i <= db.instances(); i++) {
          resources.add(new AuroraInstanceResource(aws, stack, db, i, cluster.key(),
              subnets.get((i - 1) % subnets.size())));
        }
      }
    }
    for (Peering p : stack.peerings()) {
      ResourceKey vpc = AwsResource.key("vpc", p.network());
      ResourceKey group = AwsResource.key("security-group", p.network());
      PeeringResource connection = new PeeringResource(aws, stack, p, vpc);
      resources.add(connection);
      resources.add(new PeeringRoutesResource(aws, stack, p, PeeringRoutesResource.Side.TO_PEER, connection.key(),
          vpc));
      resources.add(new PeeringRoutesResource(aws, stack, p, PeeringRoutesResource.Side.FROM_PEER,
          connection.key(), vpc));
      resources.add(new PeeringIngressResource(aws, stack, p, connection.key(), group));
    }
    return resources;
  }

  @Override
  public StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
    StackOutputs.Builder result = StackOutputs.builder().stack(stack.name());
    for (Network n : stack.networks()) {
      outputs.apply(AwsResource.key("vpc", n.name())).filter(o -> o.find("vpcId").isPresent()).ifPresent(vpc -> {
        NetworkOutputs.Builder net = NetworkOutputs.builder().id(vpc.string("vpcId")).cidr(vpc.string("cidr"));
        for (int i = 0; i < n.zones(); i++) {
          outputs.apply(AwsResource.key("subnet", n.name() + "-" + Names.zoneLetter(i)))
              .flatMap(o -> o.find("subnetId")).ifPresent(net::addSubnetIds);
        }
        net.putAttributes("region", aws.region());
        vpc.find("mainRouteTableId").ifPresent(id -> net.putAttributes("mainRouteTableId", id));
        outputs.apply(AwsResource.key("security-group", n.name())).flatMap(o -> o.find("securityGroupId"))
            .ifPresent(id -> net.putAttributes("securityGroupId", id));
        outputs.apply(AwsResource.key("db-subnet-group", n.name())).flatMap(o -> o.find("name"))
            .ifPresent(id -> net.putAttributes("dbSubnetGroup", id));
        result.putNetworks(n.name(), net.build());
      });
    }
    for (PostgresCluster db : stack.databases()) {
      outputs.apply(AwsResource.key("aurora-cluster", db.name())).filter(o -> o.find("writerEndpoint").isPresent())
          .ifPresent(c -> result.putDatabases(db.name(), databaseOutputs(c)));
    }
    for (Peering p : stack.peerings()) {
      outputs.apply(AwsResource.key("vpc-peering", p.name())).filter(o -> o.find("peeringId").isPresent())
          .ifPresent(c -> result.putPeerings(p.name(), PeeringOutputs.builder().id(c.string("peeringId"))
              .state(c.string("status")).putAttributes("peerVpcId", c.string("peerVpcId"))
              .putAttributes("peerRegion", c.string("peerRegion"))
              .putAttributes("peerCidrs", String.join(",", c.list("peerCidrs"))).build()));
    }
    return result.build();
  }

  /** The typed outputs of a DB cluster, from its resource outputs. */
  static DatabaseOutputs databaseOutputs(Outputs c) {
    DatabaseOutputs.Builder out = DatabaseOutputs.builder().writerEndpoint(c.string("writerEndpoint"))
        .port(Integer.parseInt(c.string("port")));
    c.find("readerEndpoint").ifPresent(out::readerEndpoint);
    c.find("secretArn").ifPresent(out::secretReference);
    c.find("clusterId").ifPresent(v -> out.putAttributes("clusterId", v));
    c.find("arn").ifPresent(v -> out.putAttributes("arn", v));
    c.find("resourceId").ifPresent(v -> out.putAttributes("resourceId", v));
    c.find("engineVersion").ifPresent(v -> out.putAttributes("engineVersion", v));
    return out.build();
  }

  @Override
  public RuntimeException translate(RuntimeException e) {
    return AwsErrors.translate(e);
  }
}
