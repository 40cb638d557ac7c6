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

  /** What SDK 2.x says when nothing in the default chain has credentials, shortened to its structure. */
  private static final String DEFAULT_CHAIN_MESSAGE = "Unable to load credentials from any of the providers in the "
      + "chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), "
      + "EnvironmentVariableCredentialsProvider(), WebIdentityTokenFileCredentialsProvider(), "
      + "ProfileCredentialsProvider(profileName=ops, profileFile=ProfileFile(sections=[])), "
      + "ContainerCredentialsProvider(), InstanceProfileCredentialsProvider()]) : [SystemPropertyCredentialsProvider(): "
      + "Unable to load credentials from system settings. Access key must be specified either via environment "
      + "variable (AWS_ACCESS_KEY_ID) or system property (aws.accessKeyId)., EnvironmentVariableCredentialsProvider(): "
      + "Unable to load credentials from system settings., InstanceProfileCredentialsProvider(): Failed to load "
      + "credentials from IMDS.]";

  @Test
  void translate_whenDefaultChainHasNoCredentials_namesWhereItLookedAndHowToLogIn() {
    SdkClientException none = SdkClientException.builder().message(DEFAULT_CHAIN_MESSAGE).build();

    ProviderException p = (ProviderException) AwsErrors.translate(none);

    assertThat(p.errorCode()).isEqualTo("NoCredentials");
    assertThat(p.retryable()).isFalse();
    assertThat(p.getCause()).isSameAs(none);
    assertThat(p.getMessage()).contains("default credential chain", "AWS_ACCESS_KEY_ID", "profile 'ops'",
        "instance metadata", "aws configure", "AWS_PROFILE").doesNotContain("IMDS", "ProfileFile(")
        .hasSizeLessThan(700);
  }

  @Test
  void translate_whenSingleProviderHasNoCredentials_saysSoWithTheHint() {
    SdkClientException none = SdkClientException.builder()
        .message("Unable to load credentials from system settings.").build();

    ProviderException p = (ProviderException) AwsErrors.translate(none);

    assertThat(p.errorCode()).isEqualTo("NoCredentials");
    assertThat(p.getMessage()).contains("the credentials provider found no AWS credentials", "aws configure");
  }

  @Test
  void translate_whenCredentialsRefused_keepsCodeAndAddsHowToLogIn() {
    ProviderException p = (ProviderException) AwsErrors.translate(ec2("AuthFailure", 401));

    assertThat(p.errorCode()).isEqualTo("AuthFailure");
    assertThat(p.retryable()).isFalse();
    assertThat(p.getMessage()).contains("message of AuthFailure", "AWS refused the credentials", "aws configure",
        "AWS_ACCESS_KEY_ID");
  }

  @Test
  void translate_whenPermissionMissing_addsNoLoginHint() {
    ProviderException p = (ProviderException) AwsErrors.translate(ec2("UnauthorizedOperation", 403));

    assertThat(p.getMessage()).doesNotContain("aws configure");
  }

  @Test
  void translate_whenNotAnSdkException_returnsItUnchanged() {
    IllegalStateException e = new IllegalStateException("bug");

    assertThat(AwsErrors.translate(e)).isSameAs(e);
  }
}
