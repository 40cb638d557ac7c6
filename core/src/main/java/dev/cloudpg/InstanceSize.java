package dev.cloudpg;

/**
 * A provider-neutral database machine size. Each provider maps it to its own machine type (on AWS, {@code LARGE} is
 * {@code db.r7g.large}); provider options override the mapping.
 */
public enum InstanceSize {
  /** 2 vCPU, 4 GiB: development and tests. */
  SMALL,
  /** 2 vCPU, 8 GiB. */
  MEDIUM,
  /** 2 vCPU, 16 GiB. */
  LARGE,
  /** 4 vCPU, 32 GiB. */
  XLARGE,
  /** 8 vCPU, 64 GiB. */
  XXLARGE
}
