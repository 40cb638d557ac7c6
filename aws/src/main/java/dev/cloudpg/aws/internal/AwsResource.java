package dev.cloudpg.aws.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.AbstractResource;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the AWS resources share: key, dependencies, the AWS context and the stack. Like every resource, they hold no
 * state between calls: every field is final and set by the constructor.
 */
abstract class AwsResource extends AbstractResource {
  protected final AwsContext aws;
  protected final Stack stack;

  AwsResource(AwsContext aws, Stack stack, ResourceKey key, List<ResourceKey> dependencies) {
    super(key, dependencies);
    this.aws = aws;
    this.stack = stack;
  }

  @Override
  public WaitPolicy waitPolicy() {
    return aws.waitPolicy(ownWaitPolicy());
  }

  /** How this type of resource is awaited on real AWS. */
  WaitPolicy ownWaitPolicy() {
    return WaitPolicy.DEFAULT;
  }

  /** The ownership tags plus a Name tag and any extra tags. */
  protected static Map<String, String> tags(StepContext ctx, String name, Map<String, String> extra) {
    Map<String, String> tags = ctx.ownershipTags(extra);
    if (name != null) {
      tags.put(Tags.NAME, name);
    }
    return tags;
  }

  /** An output of a dependency when it exists and is the stack's, as a read needs it. */
  protected static <T> Optional<T> dependencyOutput(StepContext ctx, ResourceKey dependency, Output<T> output) {
    return ctx.findOutputs(dependency).flatMap(o -> o.find(output));
  }
}
