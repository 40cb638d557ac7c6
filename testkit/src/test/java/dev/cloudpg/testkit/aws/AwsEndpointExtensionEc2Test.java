package dev.cloudpg.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import org.junit.jupiter.api.Test;

/** An EC2-only class: served by moto where it is installed, else by LocalStack where Docker and a token are. */
@WithAwsEndpoint(services = AwsService.EC2)
class AwsEndpointExtensionEc2Test {

  @Test
  void resolve_whenEc2OnlyAndAnEmulatorAvailable_givesReachableEndpoint(AwsEndpoint aws) throws IOException {
    assertThat(aws.kind()).isIn(AwsEndpoint.Kind.EXPLICIT, AwsEndpoint.Kind.MOTO, AwsEndpoint.Kind.LOCALSTACK);
    HttpURLConnection c = (HttpURLConnection) aws.uri().resolve("/").toURL().openConnection();
    assertThat(c.getResponseCode()).isLessThan(500);
  }
}
