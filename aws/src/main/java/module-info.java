/**
 * cloudpg on AWS: {@link dev.cloudpg.aws.AwsCloud} provisions Aurora PostgreSQL, its VPC and its peerings through the
 * AWS SDK for Java v2. Only {@code dev.cloudpg.aws} is exported; {@code dev.cloudpg.aws.internal} is not.
 *
 * <p>The AWS SDK for Java v2 ships its jars as automatic modules (an {@code Automatic-Module-Name}, no
 * descriptor), hence the suppressed lint warnings about requiring them.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cloudpg.aws {
  requires transitive dev.cloudpg.core;
  requires transitive software.amazon.awssdk.auth;
  requires transitive software.amazon.awssdk.core;
  requires transitive software.amazon.awssdk.http;
  requires transitive software.amazon.awssdk.identity.spi;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.utils;
  requires software.amazon.awssdk.http.urlconnection;
  requires software.amazon.awssdk.http.auth.aws;
  requires software.amazon.awssdk.http.auth.spi;
  requires software.amazon.awssdk.protocols.jsoncore;
  requires software.amazon.awssdk.services.ec2;
  requires software.amazon.awssdk.services.rds;
  requires software.amazon.awssdk.services.dynamodb;
  requires org.slf4j;

  exports dev.cloudpg.aws;
}
