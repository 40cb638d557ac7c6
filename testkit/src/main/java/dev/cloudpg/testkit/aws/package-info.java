/**
 * AWS endpoints for tests, without the AWS SDK: {@link dev.cloudpg.testkit.aws.WithAwsEndpoint} gives a JUnit 5 test
 * an explicit endpoint or a {@code moto_server} on loopback; {@link dev.cloudpg.testkit.aws.MotoServer} runs one
 * directly. JUnit is an optional dependency of the testkit: add {@code junit-jupiter-api} to use the extension.
 */
package dev.cloudpg.testkit.aws;
