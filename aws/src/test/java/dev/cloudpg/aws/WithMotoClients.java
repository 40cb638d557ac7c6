package dev.cloudpg.aws;

import dev.cloudpg.testkit.aws.AwsEndpoint;
import dev.cloudpg.testkit.aws.WithAwsEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * What the integration tests against the emulator share: its endpoint, and the EC2 and RDS clients a test sets up
 * state and reads it back with, opened once per class and closed after it.
 */
@WithAwsEndpoint
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WithMotoClients {
  AwsEndpoint aws;
  Ec2Client ec2;
  RdsClient rds;

  @BeforeAll
  void openClients(AwsEndpoint endpoint) {
    this.aws = endpoint;
    this.ec2 = MotoClouds.ec2(endpoint, endpoint.region());
    this.rds = MotoClouds.rds(endpoint);
  }

  @AfterAll
  void closeClients() {
    ec2.close();
    rds.close();
  }
}
