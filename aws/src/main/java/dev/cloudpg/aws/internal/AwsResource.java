package dev.cloudpg.aws.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.AbstractResource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** What the AWS resources share: key, dependencies, the AWS context, and the bookkeeping of create attempts. */
abstract class AwsResource extends AbstractResource {
  protected final AwsContext aws;
  protected final Stack stack;
  private final AtomicBoolean attempted = new AtomicBoolean();

  AwsResource(AwsContext aws, Stack stack, ResourceKey key, List<ResourceKey> dependencies) {
    super(key, dependencies);
    this.aws = aws;
    this.stack = stack;
  }

  static ResourceKey key(String type, String name) {
    return ResourceKey.of("aws", type, name);
  }

  @Override
  public WaitPolicy waitPolicy() {
    return aws.waitPolicy(ownWaitPolicy());
  }

  /** How this type of resource is awaited on real AWS. */
  WaitPolicy ownWaitPolicy() {
    return WaitPolicy.DEFAULT;
  }

  /**
   * What an earlier attempt of this create made, if anything: the engine retries whole steps, and a retried create
   * adopts what the failed attempt may have made instead of making a second one. Empty on the first attempt.
   */
  protected final Optional<Observed> earlierAttempt(StepContext ctx) {
    return attempted.getAndSet(true) ? read(ctx).filter(Observed::owned) : Optional.empty();
  }

  /** The ownership tags plus a Name tag and any extra tags. */
  protected static Map<String, String> tags(StepContext ctx, String name, Map<String, String> extra) {
    Map<String, String> tags = new LinkedHashMap<>(extra);
    tags.putAll(ctx.ownershipTags());
    if (name != null) {
      tags.put(Tags.NAME, name);
    }
    return tags;
  }

  /** The outputs of a dependency when it exists and is the stack's, as a read needs them. */
  protected static Optional<String> dependencyOutput(StepContext ctx, ResourceKey dependency, String output) {
    return ctx.findOutputs(dependency).flatMap(o -> o.find(output));
  }
}
