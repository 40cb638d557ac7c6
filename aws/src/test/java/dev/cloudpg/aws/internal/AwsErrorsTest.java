package dev.cloudpg.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.ProviderException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.rds.model.RdsException;

class AwsErrorsTest {

  private static Ec2Exception ec2(String code, int status) {
    return (Ec2Exception) Ec2Exception.builder().statusCode(status).requestId("req-1").message(code)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("message of " + code)
            .serviceName("EC2").build()).build();
  }

  @Test
  void translate_whenThrottled_isRetryableWithCodeAndRequestId() {
    RuntimeException e = AwsErrors.translate(ec2("RequestLimitExceeded", 503));

    assertThat(e).isInstanceOfSatisfying(ProviderException.class, p -> {
      assertThat(p.provider()).isEqualTo("aws");
      assertThat(p.errorCode()).isEqualTo("RequestLimitExceeded");
      assertThat(p.requestId()).contains("req-1");
      assertThat(p.httpStatus()).isEqualTo(503);
      assertThat(p.retryable()).isTrue();
      assertThat(p.getMessage()).contains("message of RequestLimitExceeded").contains("req-1");
    });
  }

  @Test
  void translate_whenPeeringNotYetVisible_isRetryable() {
    assertThat(((ProviderException) AwsErrors.translate(ec2("InvalidVpcPeeringConnectionID.NotFound", 400)))
        .retryable()).isTrue();
  }

  @Test
  void translate_whenClusterBusy_isRetryable() {
    RdsException busy = (RdsException) RdsException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails
        .builder().errorCode("InvalidDBClusterStateFault").errorMessage("busy").build()).build();

    assertThat(((ProviderException) AwsErrors.translate(busy)).retryable()).isTrue();
  }

  @Test
  void translate_whenAccessDenied_failsFastWithAwsMessage() {
    ProviderException p = (ProviderException) AwsErrors.translate(ec2("UnauthorizedOperation", 403));

    assertThat(p.retryable()).isFalse();
    assertThat(p.getMessage()).contains("UnauthorizedOperation").contains("HTTP 403")
        .contains("message of UnauthorizedOperation");
  }

  @Test
  void translate_whenConnectionFails_isRetryable() {
    SdkClientException io = SdkClientException.builder().message("Unable to execute HTTP request")
        .cause(new IOException("Connection refused")).build();

    assertThat(((ProviderException) AwsErrors.translate(io)).retryable()).isTrue();
  }

  @Test
  void translate_whenCredentialsMissing_failsFast() {
    SdkClientException noCredentials = SdkClientException.builder().message("Unable to load credentials").build();

    assertThat(((ProviderException) AwsErrors.translate(noCredentials)).retryable()).isFalse();
  }

  @Test
  void translate_whenNotAnSdkException_returnsItUnchanged() {
    IllegalStateException e = new IllegalStateException("bug");

    assertThat(AwsErrors.translate(e)).isSameAs(e);
  }
}
