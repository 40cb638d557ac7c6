/**
 * cloudpg on AWS: {@link dev.cloudpg.aws.AwsCloud} provisions Aurora PostgreSQL, its VPC and VPC peering with the AWS
 * SDK for Java v2; {@link dev.cloudpg.aws.AuroraOptions} and {@link dev.cloudpg.aws.AwsPeeringOptions} carry the
 * AWS-specific settings; {@link dev.cloudpg.aws.AwsCallCounter} counts the API calls a run makes.
 */
package dev.cloudpg.aws;
