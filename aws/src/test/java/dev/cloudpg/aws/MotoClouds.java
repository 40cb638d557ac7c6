package dev.cloudpg.aws;

import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.WaitPolicy;
import dev.cloudpg.testkit.aws.AwsEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;
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

  /** An EC2 filter on the stack's ownership tag. */
  static Filter stackTag(String stack) {
    return Filter.builder().name("tag:" + Ownership.STACK).values(stack).build();
  }

  private static boolean rdsOwned(List<software.amazon.awssdk.services.rds.model.Tag> tags, String stack) {
    return tags.stream().anyMatch(t -> t.key().equals(Ownership.STACK) && t.value().equals(stack));
  }

  /**
   * How many resources of each kind carry the stack's ownership tag, as the emulator holds them; peerings that are not
   * deleted, looked for in {@code ec2}'s region and {@code peerRegions}.
   */
  static Map<String, Integer> owned(Ec2Client ec2, RdsClient rds, String stack, Ec2Client... peerRegions) {
    Map<String, Integer> counts = new TreeMap<>();
    counts.put("vpc", ec2.describeVpcs(b -> b.filters(stackTag(stack))).vpcs().size());
    counts.put("subnet", ec2.describeSubnets(b -> b.filters(stackTag(stack))).subnets().size());
    counts.put("security-group", ec2.describeSecurityGroups(b -> b.filters(stackTag(stack))).securityGroups().size());
    counts.put("db-subnet-group", (int) rds.describeDBSubnetGroups().dbSubnetGroups().stream()
        .filter(g -> rdsOwned(rds.listTagsForResource(b -> b.resourceName(g.dbSubnetGroupArn())).tagList(), stack))
        .count());
    counts.put("aurora-cluster", (int) rds.describeDBClusters().dbClusters().stream()
        .filter(c -> rdsOwned(c.tagList(), stack)).count());
    counts.put("aurora-instance", (int) rds.describeDBInstances().dbInstances().stream()
        .filter(i -> rdsOwned(i.tagList(), stack)).count());
    List<Ec2Client> regions = new ArrayList<>(List.of(ec2));
    regions.addAll(List.of(peerRegions));
    counts.put("vpc-peering", (int) regions.stream().flatMap(c -> c.describeVpcPeeringConnections()
        .vpcPeeringConnections().stream()).filter(p -> !p.status().codeAsString().equals("deleted"))
        .filter(p -> p.tags().stream().anyMatch(t -> t.key().equals(Ownership.STACK) && t.value().equals(stack)))
        .map(VpcPeeringConnection::vpcPeeringConnectionId).distinct().count());
    return counts;
  }

  static RdsClient rds(AwsEndpoint aws) {
    return RdsClient.builder().region(Region.of(aws.region())).endpointOverride(aws.uri())
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }
}
