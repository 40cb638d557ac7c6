package dev.cloudpg.aws.internal;

import dev.cloudpg.CloudpgException;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Stack;
import dev.cloudpg.StackLockedException;
import dev.cloudpg.aws.AwsDisconnected;
import dev.cloudpg.spi.LeaseRecord;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;

/**
 * Removes every peering connection cloudpg made from one application VPC to a VPC of this region, whatever stack
 * owns it: per stack, under that stack's lease, the routes through the connection on both sides, the ingress rules
 * the peering added to the stack's security groups, then the connection. Nothing else is touched. Since discovery
 * counts a deleted connection for nothing, a later apply of a stack whose spec still names the peering makes it
 * again, and one whose spec no longer names it plans nothing.
 */
public final class Disconnector {
  /** How long a lease taken here lasts; the removal of one stack's peerings takes seconds. */
  private static final Duration TTL = Duration.ofMinutes(2);
  private static final Duration POLL = Duration.ofSeconds(5);

  private final AwsContext aws;
  private final DynamoLeaseStore leases;
  private final TimeSource time;

  public Disconnector(AwsContext aws, TimeSource time) {
    this.aws = aws;
    this.leases = new DynamoLeaseStore(aws);
    this.time = time;
  }

  /** The application VPC named by an id ({@code vpc-...}) or by the private DNS name of one of its instances. */
  public static PeerNetwork peerOf(String vpcIdOrNodeDns) {
    return vpcIdOrNodeDns.startsWith("vpc-") ? PeerNetwork.awsVpc(vpcIdOrNodeDns)
        : PeerNetwork.awsVpcOfInstance(vpcIdOrNodeDns);
  }

  /**
   * Disconnects the application VPC from every stack of the region.
   *
   * @param leaseWait how long to wait for a stack's lease held by a run under way
   */
  public List<AwsDisconnected> disconnect(PeerNetwork peer, Duration leaseWait) {
    PeerVpc app = aws.findPeer(peer, "peer");
    Ec2Client appEc2 = aws.ec2(app.region());
    Map<String, List<VpcPeeringConnection>> byStack = new LinkedHashMap<>();
    // moto ignores the filter: the test below keeps the connections requested from the application VPC
    appEc2.describeVpcPeeringConnectionsPaginator(b -> b.filters(Tags.filter("requester-vpc-info.vpc-id",
        app.vpcId()))).vpcPeeringConnections().forEach(c -> {
          Map<String, String> tags = Tags.ec2(c.tags());
          boolean toHere = c.accepterVpcInfo() != null && (c.accepterVpcInfo().region() == null
              ? app.region().equals(aws.region()) : aws.region().equals(c.accepterVpcInfo().region()));
          if (c.requesterVpcInfo() != null && app.vpcId().equals(c.requesterVpcInfo().vpcId()) && toHere
              && tags.containsKey(Ownership.STACK) && tags.containsKey(Ownership.KEY)
              && !PeeringResource.DEAD.contains(PeeringResource.status(c))) {
            byStack.computeIfAbsent(tags.get(Ownership.STACK), k -> new ArrayList<>()).add(c);
          }
        });
    List<AwsDisconnected> removed = new ArrayList<>();
    for (Map.Entry<String, List<VpcPeeringConnection>> e : byStack.entrySet()) {
      Stack stack = leaseKey(e.getKey());
      LeaseRecord held = take(stack, leaseWait);
      try {
        for (VpcPeeringConnection c : e.getValue()) {
          removed.add(remove(e.getKey(), c, app, appEc2));
        }
      } finally {
        leases.release(stack, held);
      }
    }
    return removed;
  }

  /** A stack standing for its name, which is all a lease store reads of it. */
  private static Stack leaseKey(String name) {
    return Stack.builder().name(name).addNetworks(Network.builder().name("lease").build()).build();
  }

  private LeaseRecord take(Stack stack, Duration leaseWait) {
    Instant start = time.now();
    LeaseRecord mine = new LeaseRecord(holderName(), UUID.randomUUID().toString(), start, start.plus(TTL), "");
    while (true) {
      Instant now = time.now();
      LeaseRecord current = leases.acquire(stack, mine.renewedUntil(now.plus(TTL)));
      if (current.sameRun(mine)) {
        return current;
      }
      if (!current.expires().isAfter(now)) {
        var taken = leases.replace(stack, current, mine.renewedUntil(now.plus(TTL)));
        if (taken.isPresent()) {
          return taken.get();
        }
        continue;
      }
      if (Duration.between(start, now).compareTo(leaseWait) >= 0) {
        throw new StackLockedException(stack.name(), current.holder(), current.since(), current.expires());
      }
      try {
        time.sleep(POLL);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new CloudpgException("interrupted while waiting for the lease of stack " + stack.name(), ie);
      }
    }
  }

  private static String holderName() {
    ProcessHandle self = ProcessHandle.current();
    String host = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
    return host + " pid " + self.pid() + " (disconnect)";
  }

  private AwsDisconnected remove(String stack, VpcPeeringConnection c, PeerVpc app, Ec2Client appEc2) {
    String id = c.vpcPeeringConnectionId();
    String peering = dev.cloudpg.ResourceKey.parse(Tags.ec2(c.tags()).get(Ownership.KEY)).name();
    String stackVpc = c.accepterVpcInfo().vpcId();
    List<String> routes = new ArrayList<>();
    routes.addAll(deleteRoutes(aws.ec2(), stackVpc, id));
    routes.addAll(deleteRoutes(appEc2, app.vpcId(), id));
    List<String> rules = revokeRules(stack, peering, stackVpc);
    try {
      appEc2.deleteVpcPeeringConnection(b -> b.vpcPeeringConnectionId(id));
    } catch (Ec2Exception e) {
      if (!AwsErrors.code(e).startsWith("InvalidVpcPeeringConnectionID")) {
        throw e;
      }
    }
    return new AwsDisconnected(stack, peering, id, app.vpcId(), routes, rules);
  }

  private static List<String> deleteRoutes(Ec2Client ec2, String vpcId, String peeringId) {
    List<String> deleted = new ArrayList<>();
    for (RouteTable t : ec2.describeRouteTables(b -> b.filters(Tags.filter("vpc-id", vpcId))).routeTables()) {
      for (Route r : t.routes()) {
        if (peeringId.equals(r.vpcPeeringConnectionId()) && r.destinationCidrBlock() != null) {
          try {
            ec2.deleteRoute(b -> b.routeTableId(t.routeTableId()).destinationCidrBlock(r.destinationCidrBlock()));
          } catch (Ec2Exception e) {
            if (!AwsErrors.code(e).equals("InvalidRoute.NotFound")) {
              throw e;
            }
          }
          deleted.add(t.routeTableId() + " " + r.destinationCidrBlock());
        }
      }
    }
    return deleted;
  }

  private List<String> revokeRules(String stack, String peering, String stackVpc) {
    String description = PeeringIngressResource.DESCRIPTION_PREFIX + stack + "/" + peering;
    List<String> revoked = new ArrayList<>();
    for (SecurityGroup g : aws.ec2().describeSecurityGroups(b -> b.filters(Tags.filter("vpc-id", stackVpc),
        Tags.filter("tag:" + Ownership.STACK, stack))).securityGroups()) {
      for (IpPermission p : g.ipPermissions()) {
        for (IpRange r : p.ipRanges()) {
          if (description.equals(r.description())) {
            IpPermission one = p.toBuilder().ipRanges(r).ipv6Ranges(List.of()).prefixListIds(List.of())
                .userIdGroupPairs(List.of()).build();
            try {
              aws.ec2().revokeSecurityGroupIngress(b -> b.groupId(g.groupId()).ipPermissions(one));
            } catch (Ec2Exception e) {
              if (!AwsErrors.code(e).equals("InvalidPermission.NotFound")) {
                throw e;
              }
            }
            revoked.add(g.groupId() + " " + r.cidrIp());
          }
        }
      }
    }
    return revoked;
  }
}
