package dev.cloudpg.aws.internal;

import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.StackSummary;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.LeaseStore;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.Retry;
import dev.cloudpg.spi.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.function.Function;

/**
 * The AWS provider: {@link AwsRules} validate a stack, {@link AwsGraph} expands it into resources,
 * {@link AwsOutputs} assembles its outputs, and {@link AwsErrors} translates and classifies AWS's errors;
 * {@link AwsDiscovery} finds what a stack owns, {@link OrphanResource} removes what its spec no longer names, and
 * {@link DynamoLeaseStore} keeps the stacks' leases. Thread-safe.
 */
public final class AwsProvider implements Provider {
  private final AwsContext aws;
  private final DynamoLeaseStore leases;

  public AwsProvider(AwsContext aws) {
    this.aws = aws;
    this.leases = new DynamoLeaseStore(aws);
  }

  @Override
  public String name() {
    return Keys.PROVIDER;
  }

  @Override
  public void validate(Stack stack, Violations violations) {
    AwsRules.validate(stack, violations);
  }

  /**
   * Resolves every peer, by id, tag or node DNS name, and the application route tables each peering's options
   * choose: describes only, so a reference to nothing fails the plan with no change made.
   */
  @Override
  public void checkReferences(Stack stack, Violations violations) {
    for (Peering p : stack.peerings()) {
      PeerVpc peer;
      try {
        peer = aws.findPeer(p.peer(), p.path() + ".peer");
      } catch (AwsContext.NoPeerException e) {
        e.addTo(violations);
        continue;
      }
      if (PeeringRoutesResource.applicationTables(aws.ec2(peer.region()), peer.vpcId(), p).isEmpty()) {
        violations.add(PeeringRoutesResource.tablesPath(p), PeeringRoutesResource.tablesChoice(p),
            PeeringRoutesResource.noTables(p, peer.vpcId()));
      }
    }
  }

  /**
   * What a new cluster gets that the spec left open: the region's default minor of a major-only version (or that
   * it could not be read), and a burstable instance class, which AWS recommends for development and tests only.
   */
  @Override
  public List<String> notes(Stack stack) {
    List<String> notes = new ArrayList<>();
    for (PostgresCluster db : stack.databases()) {
      String version = AuroraClusterResource.engineVersion(db);
      if (AuroraClusterResource.majorOnly(version)) {
        notes.add(db.path() + ": a new cluster gets " + aws.defaultMinor(version)
            .map(v -> "Aurora PostgreSQL " + v + ", the region's default minor of " + version)
            .orElse("Aurora PostgreSQL " + version + " with the minor RDS chooses: the region's default could "
                + "not be read (DescribeDBEngineVersions gave no answer)"));
      }
      String instanceClass = AuroraInstanceResource.instanceClass(db);
      if (instanceClass.startsWith("db.t")) {
        notes.add(db.path() + ": " + instanceClass + " is a burstable class, which AWS recommends for development "
            + "and tests only; size MEDIUM or larger uses db.r8g");
      }
    }
    return notes;
  }

  @Override
  public List<Resource> expand(Stack stack) {
    return AwsGraph.expand(aws, stack);
  }

  /** See {@link AwsDiscovery}: one Tagging API call and a few typed describes, whatever the region holds. */
  @Override
  public Optional<List<Discovered>> discover(Stack stack) {
    return Optional.of(new AwsDiscovery(aws, stack.name()).discover(stack.networks().stream().map(Network::name)
        .toList()).stream().map(AwsDiscovery.Found::discovered).toList());
  }

  @Override
  public Resource orphan(Stack stack, Discovered found) {
    return new OrphanResource(aws, stack, found);
  }

  /** A DynamoDB item per stack in the table {@value DynamoLeaseStore#TABLE} of the region; see the README. */
  @Override
  public Optional<LeaseStore> leases() {
    return Optional.of(leases);
  }

  /** The stacks owning something in the region: one Tagging API call, then a discovery per stack. */
  @Override
  public List<StackSummary> stacks() {
    List<StackSummary> stacks = new ArrayList<>();
    for (String name : AwsDiscovery.stackNames(aws)) {
      Map<String, Integer> counts = new TreeMap<>();
      List<StackSummary.PeeringSummary> peerings = new ArrayList<>();
      for (AwsDiscovery.Found f : new AwsDiscovery(aws, name).discover(List.of())) {
        counts.merge(f.discovered().key().type(), 1, Integer::sum);
        f.peerVpc().ifPresent(peer -> peerings.add(new StackSummary.PeeringSummary(f.discovered().key().name(),
            f.discovered().id(), peer)));
      }
      if (!counts.isEmpty()) {
        stacks.add(new StackSummary(name, counts, peerings));
      }
    }
    return stacks;
  }

  @Override
  public StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
    return AwsOutputs.assemble(aws.region(), stack, outputs);
  }

  @Override
  public RuntimeException translate(RuntimeException e) {
    return AwsErrors.translate(e);
  }

  @Override
  public Retry retry(Throwable e) {
    return AwsErrors.retry(e);
  }
}
