package dev.cloudpg.aws.internal;

import dev.cloudpg.CloudpgException;
import dev.cloudpg.Peering;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * The ingress rule of a peering in the network's security group: TCP on the peering's port, from the peer's declared
 * CIDRs when it has any, else from the application VPC's CIDRs; from nowhere else. The rule's description,
 * {@code cloudpg <stack>/<peering>}, marks it as the stack's. {@code create} authorizes what is missing and revokes
 * what the stack admitted beyond the spec; the check reads the group again and is done when it admits exactly the
 * sources (sending again what is still missing or still too much).
 */
final class PeeringIngressResource extends AwsResource {
  static final Output<String> SECURITY_GROUP_ID = Output.string("securityGroupId");
  static final Output<List<String>> SOURCES = Output.list("sources");

  /** How the description of every ingress rule cloudpg makes starts; the stack and the peering's name follow. */
  static final String DESCRIPTION_PREFIX = "cloudpg ";

  private final Peering peering;
  private final ResourceKey connection;
  private final ResourceKey securityGroup;
  private final String description;

  PeeringIngressResource(AwsContext aws, Stack stack, Peering peering, ResourceKey connection,
      ResourceKey securityGroup) {
    super(aws, stack, Keys.ingress(peering.name()), List.of(connection, securityGroup));
    this.peering = peering;
    this.connection = connection;
    this.securityGroup = securityGroup;
    this.description = DESCRIPTION_PREFIX + stack.name() + "/" + peering.name();
  }

  /** The id discovery gives a peering's rules in a security group: {@code sg-0abc/ingress/app}. */
  static String ruleId(String groupId, String peering) {
    return groupId + "/ingress/" + peering;
  }

  @Override
  public Map<String, String> desired() {
    Map<String, String> desired = new LinkedHashMap<>();
    desired.put("port", "tcp/" + peering.allowPort());
    desired.put("sources", peering.peer().cidrs().isEmpty() ? "peer VPC" : String.join(",", peering.peer().cidrs()));
    desired.put("rule", "complete");
    return desired;
  }

  @Override
  public Set<String> updatable() {
    return Set.of("rule");
  }

  private Optional<List<String>> sources(StepContext ctx) {
    if (!peering.peer().cidrs().isEmpty()) {
      return Optional.of(peering.peer().cidrs());
    }
    return ctx.findOutputs(connection).flatMap(o -> o.find(PeeringResource.PEER_CIDRS));
  }

  /** The CIDRs the group admits on the port, each with its rule's description. */
  private Map<String, String> admitted(String groupId) {
    SecurityGroup group = aws.ec2().describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().get(0);
    Map<String, String> admitted = new LinkedHashMap<>();
    for (IpPermission p : group.ipPermissions()) {
      if ("tcp".equals(p.ipProtocol()) && p.fromPort() != null && p.fromPort() <= peering.allowPort()
          && p.toPort() != null && p.toPort() >= peering.allowPort()) {
        p.ipRanges().forEach(r -> admitted.put(r.cidrIp(), String.valueOf(r.description())));
      }
    }
    return admitted;
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    Optional<String> groupId = dependencyOutput(ctx, securityGroup, SecurityGroupResource.SECURITY_GROUP_ID);
    Optional<List<String>> sources = sources(ctx);
    if (groupId.isEmpty() || sources.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> admitted = admitted(groupId.get());
    List<String> ours = admitted.entrySet().stream().filter(e -> description.equals(e.getValue()))
        .map(Map.Entry::getKey).toList();
    List<String> missing = sources.get().stream().filter(c -> !admitted.containsKey(c)).toList();
    if (ours.isEmpty()) {
      List<String> others = sources.get().stream().filter(admitted::containsKey).toList();
      return others.isEmpty() ? Optional.empty() : Optional.of(Observed.foreign("security group "
          + Text.quote(groupId.get()) + " already admits " + others + " on port " + peering.allowPort()
          + " through a rule not made by cloudpg"));
    }
    boolean exact = missing.isEmpty() && sources.get().containsAll(ours);
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("port", "tcp/" + peering.allowPort());
    properties.put("rule", exact ? "complete" : "differs: admits " + ours + ", should admit " + sources.get());
    return Optional.of(Observed.owned(properties, outputs(groupId.get(), ours)));
  }

  private static Outputs outputs(String groupId, List<String> sources) {
    return Outputs.builder().put(SECURITY_GROUP_ID, groupId).put(SOURCES, sources).build();
  }

  /** How the group's rules on the port differ from the spec's sources. */
  private record Difference(List<String> missing, List<String> stale, List<String> foreign) {
    boolean none() {
      return missing.isEmpty() && stale.isEmpty();
    }
  }

  private Difference difference(String groupId, List<String> sources) {
    Map<String, String> admitted = admitted(groupId);
    List<String> missing = new ArrayList<>();
    List<String> foreign = new ArrayList<>();
    for (String cidr : sources) {
      String owner = admitted.get(cidr);
      if (owner == null) {
        missing.add(cidr);
      } else if (!description.equals(owner)) {
        foreign.add(cidr);
      }
    }
    List<String> stale = admitted.entrySet().stream()
        .filter(e -> description.equals(e.getValue()) && !sources.contains(e.getKey())).map(Map.Entry::getKey)
        .toList();
    return new Difference(missing, stale, foreign);
  }

  private String foreignRule(String groupId, List<String> cidrs) {
    return "security group " + Text.quote(groupId) + " already admits " + cidrs + " on port " + peering.allowPort()
        + " through a rule not made by cloudpg";
  }

  @Override
  public Outputs create(StepContext ctx) {
    String groupId = ctx.get(securityGroup, SecurityGroupResource.SECURITY_GROUP_ID);
    List<String> sources = sources(ctx).orElseThrow(() -> new IllegalStateException(key() + " needs the peering"));
    Difference d = difference(groupId, sources);
    if (!d.foreign().isEmpty()) {
      throw new CloudpgException(key() + ": " + foreignRule(groupId, d.foreign()));
    }
    send(groupId, d);
    return outputs(groupId, sources);
  }

  /** Done when the group admits exactly the sources on the port; sends again what still differs. */
  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    String groupId = ctx.get(securityGroup, SecurityGroupResource.SECURITY_GROUP_ID);
    List<String> sources = sources(ctx).orElseThrow(() -> new IllegalStateException(key() + " needs the peering"));
    Difference d = difference(groupId, sources);
    if (!d.foreign().isEmpty()) {
      return Probe.failed(foreignRule(groupId, d.foreign()) + "; remove that rule, then apply again");
    }
    if (d.none()) {
      return Probe.done(outputs(groupId, sources));
    }
    send(groupId, d);
    return Probe.pending("not yet seen: " + (d.missing().isEmpty() ? "" : "admitting " + d.missing())
        + (d.missing().isEmpty() || d.stale().isEmpty() ? "" : ", ")
        + (d.stale().isEmpty() ? "" : "no longer admitting " + d.stale()));
  }

  private void send(String groupId, Difference d) {
    if (!d.missing().isEmpty()) {
      try {
        aws.ec2().authorizeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(permission(d.missing())));
      } catch (Ec2Exception e) {
        if (!AwsErrors.code(e).equals("InvalidPermission.Duplicate")) {
          throw e;
        }
      }
    }
    if (!d.stale().isEmpty()) {
      revoke(groupId, d.stale());
    }
  }

  private IpPermission permission(List<String> cidrs) {
    return IpPermission.builder().ipProtocol("tcp").fromPort(peering.allowPort()).toPort(peering.allowPort())
        .ipRanges(cidrs.stream().map(c -> IpRange.builder().cidrIp(c).description(description).build()).toList())
        .build();
  }

  private void revoke(String groupId, List<String> cidrs) {
    try {
      aws.ec2().revokeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(permission(cidrs)));
    } catch (Ec2Exception e) {
      if (!AwsErrors.code(e).equals("InvalidPermission.NotFound")) {
        throw e;
      }
    }
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    return create(ctx);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    List<String> ours = current.outputs().get(SOURCES);
    if (!ours.isEmpty()) {
      revoke(current.outputs().get(SECURITY_GROUP_ID), ours);
    }
  }
}
