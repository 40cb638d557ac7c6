/**
 * AWS endpoints for tests, without the AWS SDK: {@link dev.cloudpg.testkit.aws.WithAwsEndpoint} gives a JUnit 5 test
 * an explicit endpoint, a {@code moto_server} on loopback or, for EC2-only tests where Docker runs, LocalStack, and
 * reports each test skipped with the reason when there is none; {@link dev.cloudpg.testkit.aws.MotoServer} and
 * {@link dev.cloudpg.testkit.aws.LocalStackEndpoint} run one directly. JUnit and Testcontainers are optional
 * dependencies of the testkit: add {@code junit-jupiter-api} to use the extension, and
 * {@code org.testcontainers:testcontainers-localstack} for LocalStack.
 */
package dev.cloudpg.testkit.aws;
