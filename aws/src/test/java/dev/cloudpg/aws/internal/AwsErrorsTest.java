package dev.cloudpg.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.CloudpgException;
import dev.cloudpg.ProviderException;
import dev.cloudpg.spi.Retry;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.rds.model.RdsException;

class AwsErrorsTest {

  private static Ec2Exception ec2(String code, int status) {
    return (Ec2Exception) Ec2Exception.builder().statusCode(status).requestId("req-1").message(code)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("message of " + code)
            .serviceName("EC2").build()).build();
  }

  private static RdsException rds(String code, int status) {
    return (RdsException) RdsException.builder().statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
        .errorCode(code).errorMessage("message of " + code).serviceName("Rds").build()).build();
  }

  private static Retry retry(RuntimeException e) {
    return AwsErrors.retry(AwsErrors.translate(e));
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
    assertThat(((ProviderException) AwsErrors.translate(rds("InvalidDBClusterStateFault", 400))).retryable())
        .isTrue();
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

  @Test
  void translate_whenGivenItsOwnResult_returnsItUnchanged() {
    RuntimeException once = AwsErrors.translate(ec2("RequestLimitExceeded", 503));

    assertThat(AwsErrors.translate(once)).isSameAs(once);
  }

  @Test
  void translate_whenAwsMessageHoldsLineBreaks_keepsItOnOneLine() {
    Ec2Exception forged = (Ec2Exception) Ec2Exception.builder().statusCode(400).awsErrorDetails(AwsErrorDetails
        .builder().errorCode("InvalidParameterValue").errorMessage("bad tag 'x\nINFO fake line\u2028y'").build())
        .build();

    assertThat(AwsErrors.translate(forged).getMessage()).doesNotContain("\n").doesNotContain("\u2028")
        .contains("bad tag 'x INFO fake line y'");
  }

  // ---- retry classification ----

  @ParameterizedTest
  @ValueSource(strings = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "RequestThrottled",
      "TooManyRequestsException", "EC2ThrottledException"})
  void retry_whenThrottledWith400_isTransient(String code) {
    assertThat(retry(ec2(code, 400)).isTransient()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void retry_whenServerError_isTransient(int status) {
    assertThat(retry(rds("SomethingBroke", status)).isTransient()).isTrue();
  }

  @Test
  void retry_whenServiceFaultCodeWithoutStatus_isTransient() {
    assertThat(retry(ec2("InternalError", 0)).isTransient()).isTrue();
  }

  @Test
  void retry_whenNotImplemented_isNever() {
    assertThat(retry(ec2("NotImplemented", 501)).isNever()).isTrue();
  }

  @Test
  void retry_whenConnectionResetOrTimedOut_isTransient() {
    SdkClientException reset = SdkClientException.builder().message("Unable to execute HTTP request")
        .cause(new SocketException("Connection reset")).build();
    SdkClientException readTimeout = SdkClientException.builder().message("Unable to execute HTTP request")
        .cause(new SocketTimeoutException("Read timed out")).build();

    assertThat(retry(reset).isTransient()).isTrue();
    assertThat(retry(readTimeout).isTransient()).isTrue();
    assertThat(retry(ApiCallTimeoutException.create(30_000)).isTransient()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"InvalidVpcPeeringConnectionID.NotFound", "InvalidVpcID.NotFound", "InvalidGroup.NotFound",
      "InvalidSubnetID.NotFound", "InvalidRouteTableID.NotFound"})
  void retry_whenIdNotYetVisible_isPropagationForAFewMinutes(String code) {
    Retry retry = retry(ec2(code, 400));

    assertThat(retry.isPropagation()).isTrue();
    assertThat(retry.patience()).isEqualTo(Duration.ofMinutes(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"DependencyViolation", "InvalidDBClusterStateFault", "InvalidDBInstanceState",
      "InvalidDBSubnetGroupStateFault"})
  void retry_whenDependencyNotYetReleased_isPropagationForLonger(String code) {
    Retry retry = retry(rds(code, 400));

    assertThat(retry.isPropagation()).isTrue();
    assertThat(retry.patience()).isEqualTo(Duration.ofMinutes(10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"UnauthorizedOperation", "InvalidParameterValue", "InsufficientDBInstanceCapacity",
      "VpcLimitExceeded", "OperationNotPermitted"})
  void retry_whenRefusedForGood_isNever(String code) {
    assertThat(retry(ec2(code, 400)).isNever()).isTrue();
  }

  @Test
  void retry_whenCredentialsMissing_isNever() {
    assertThat(retry(SdkClientException.builder().message("Unable to load credentials").build()).isNever()).isTrue();
  }

  @Test
  void retry_whenNotAnAwsError_isNever() {
    assertThat(AwsErrors.retry(new CloudpgException("peerings[app].peer: no VPC")).isNever()).isTrue();
    assertThat(AwsErrors.retry(new ProviderException("azure", "TooManyRequests", "throttled", null, 429, true,
        null)).isNever()).isTrue();
  }

  @Test
  void retry_whenGivenTheUntranslatedSdkException_classifiesItTheSame() {
    assertThat(AwsErrors.retry(ec2("RequestLimitExceeded", 400)).isTransient()).isTrue();
    assertThat(AwsErrors.retry(ec2("InvalidVpcID.NotFound", 400)).isPropagation()).isTrue();
  }
}
