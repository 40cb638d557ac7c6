package dev.cloudpg.testkit.aws;

/**
 * An AWS service a test needs from its endpoint, declared with {@link WithAwsEndpoint#services()}. It decides which
 * emulators can serve the test: {@code moto_server} serves both; LocalStack's free edition serves {@link #EC2} but not
 * {@link #RDS}.
 */
public enum AwsService {
  /** EC2 networking: VPCs, subnets, route tables, security groups, VPC peering. */
  EC2,
  /** RDS: Aurora clusters, instances, subnet groups. */
  RDS
}
