package dev.cloudpg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.testkit.aws.AwsEndpoint;
import dev.cloudpg.testkit.aws.WithAwsEndpoint;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.rds.RdsClient;

@WithAwsEndpoint
class AuroraExampleTest {

  @Test
  void run_whenApplyThenDestroy_leavesClusterThenNothing(AwsEndpoint aws) {
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    try (Ec2Client ec2 = Ec2Client.builder().region(Region.of(aws.region())).endpointOverride(aws.uri())
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        RdsClient rds = RdsClient.builder().region(Region.of(aws.region())).endpointOverride(aws.uri())
            .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
      String app = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
      String[] args = {"aurora", "--region", aws.region(), "--app-vpc", app, "--endpoint", aws.uri().toString(),
          "--name", "example-aurora"};

      assertThat(Examples.execute(args)).isZero();
      assertThat(rds.describeDBClusters(b -> b.dbClusterIdentifier("example-aurora")).dbClusters().get(0)
          .dbClusterMembers()).hasSize(2);

      // A destroy needs only the stack's name: it removes everything the stack owns, its peering included.
      assertThat(Examples.execute("aurora", "--region", aws.region(), "--endpoint", aws.uri().toString(),
          "--name", "example-aurora", "--destroy")).isZero();
      assertThat(rds.describeDBClusters().dbClusters())
          .noneMatch(c -> c.dbClusterIdentifier().equals("example-aurora"));
      assertThat(ec2.describeVpcs(b -> b.filters(Filter.builder().name("tag:cloudpg:stack").values("example-aurora")
          .build())).vpcs()).isEmpty();
    }
  }

  @Test
  void run_whenArgumentsMissing_printsUsageAndFails() {
    assertThat(Examples.execute("aurora", "--region", "eu-west-1")).isEqualTo(2);
  }

  @Test
  void benchAws_whenGivenEndpoint_countsCallsAndSucceeds(AwsEndpoint aws) {
    assertThat(Examples.execute("bench", "aws", "--endpoint", aws.uri().toString(), "--region", aws.region()))
        .isZero();
  }

  @Test
  void run_whenTwoAppVpcsAndAuroraSettings_peersBothWithTheGivenVersionClassAndCount(AwsEndpoint aws) {
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    try (Ec2Client ec2 = Ec2Client.builder().region(Region.of(aws.region())).endpointOverride(aws.uri())
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        RdsClient rds = RdsClient.builder().region(Region.of(aws.region())).endpointOverride(aws.uri())
            .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
      String first = ec2.createVpc(b -> b.cidrBlock("10.10.0.0/16")).vpc().vpcId();
      String second = ec2.createVpc(b -> b.cidrBlock("10.11.0.0/16")).vpc().vpcId();
      String[] args = {"aurora", "--region", aws.region(), "--app-vpc", first, "--app-vpc", second,
          "--endpoint", aws.uri().toString(), "--name", "multi-aurora", "--engine-version", "16.4",
          "--instance-class", "db.r7g.large", "--instances", "3"};

      Console run = Console.run(args);

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(run.out()).contains("peering app: pcx-", "peering app-2: pcx-");
      var cluster = rds.describeDBClusters(b -> b.dbClusterIdentifier("multi-aurora")).dbClusters().get(0);
      assertThat(cluster.engineVersion()).isEqualTo("16.4");
      assertThat(cluster.dbClusterMembers()).hasSize(3);
      assertThat(rds.describeDBInstances().dbInstances())
          .filteredOn(i -> "multi-aurora".equals(i.dbClusterIdentifier()))
          .hasSize(3).allSatisfy(i -> assertThat(i.dbInstanceClass()).isEqualTo("db.r7g.large"));
      assertThat(ec2.describeVpcPeeringConnections(b -> b.filters(Filter.builder().name("tag:cloudpg:stack")
          .values("multi-aurora").build())).vpcPeeringConnections()).hasSize(2);

      String[] destroy = java.util.Arrays.copyOf(args, args.length + 1);
      destroy[args.length] = "--destroy";
      assertThat(Examples.execute(destroy)).isZero();
      assertThat(rds.describeDBClusters().dbClusters())
          .noneMatch(c -> c.dbClusterIdentifier().equals("multi-aurora"));
    }
  }
}
