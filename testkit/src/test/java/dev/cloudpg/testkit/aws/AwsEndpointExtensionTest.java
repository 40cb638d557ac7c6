package dev.cloudpg.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import org.junit.jupiter.api.Test;

@WithAwsEndpoint
class AwsEndpointExtensionTest {

  @Test
  void resolve_whenMotoOrEndpointAvailable_givesReachableLoopbackEndpoint(AwsEndpoint aws) throws IOException {
    assertThat(aws.region()).isNotBlank();
    if (aws.kind() == AwsEndpoint.Kind.MOTO) {
      assertThat(aws.uri().getHost()).isEqualTo("127.0.0.1");
    }
    HttpURLConnection c = (HttpURLConnection) aws.uri().resolve("/moto-api/data.json").toURL().openConnection();
    assertThat(c.getResponseCode()).isLessThan(500);
  }
}
