package dev.cloudpg.aws;

import dev.cloudpg.spi.WaitPolicy;
import dev.cloudpg.testkit.aws.AwsEndpoint;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;

/** Clouds and plain SDK clients pointed at the test's AWS endpoint, with waits short enough for an emulator. */
final class MotoClouds {
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
  /** moto answers at once (a cluster is "creating" for one describe): poll every few milliseconds. */
  static final WaitPolicy FAST = WaitPolicy.of(Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(60));

  private MotoClouds() {}

  static AwsCloud cloud(AwsEndpoint aws, ExecutionInterceptor... interceptors) {
    AwsCloud.Builder b = AwsCloud.builder().region(aws.region()).endpointOverride(aws.uri())
        .credentialsProvider(CREDENTIALS).waitPolicy(FAST);
    List.of(interceptors).forEach(b::addInterceptor);
    return b.build();
  }

  static Ec2Client ec2(AwsEndpoint aws, String region) {
    return Ec2Client.builder().region(Region.of(region)).endpointOverride(aws.uri()).credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  static RdsClient rds(AwsEndpoint aws) {
    return RdsClient.builder().region(Region.of(aws.region())).endpointOverride(aws.uri())
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }
}
