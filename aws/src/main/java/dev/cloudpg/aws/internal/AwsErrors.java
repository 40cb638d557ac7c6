package dev.cloudpg.aws.internal;

import dev.cloudpg.ProviderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Maps AWS SDK exceptions to {@link ProviderException}s and says which are worth retrying. */
public final class AwsErrors {
  /**
   * Error codes that clear up by themselves: throttling, transient service errors, and the eventual consistency of
   * EC2 and RDS (an id not yet visible right after its creation, a dependency not yet released after a deletion, a
   * resource busy with a previous change).
   */
  static final Set<String> TRANSIENT_CODES = Set.of(
      "Throttling", "ThrottlingException", "RequestLimitExceeded", "RequestThrottled", "TooManyRequestsException",
      "InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable",
      "InvalidVpcID.NotFound", "InvalidSubnetID.NotFound", "InvalidGroup.NotFound", "InvalidRouteTableID.NotFound",
      "InvalidVpcPeeringConnectionID.NotFound", "InvalidVpcPeeringConnectionId.NotFound", "IncorrectState",
      "DependencyViolation",
      "InvalidDBClusterStateFault", "InvalidDBInstanceState", "InvalidDBSubnetGroupStateFault",
      "InvalidVPCNetworkStateFault");

  private AwsErrors() {}

  /** The exception the engine reports for {@code e}: a {@link ProviderException} for SDK exceptions. */
  public static RuntimeException translate(RuntimeException e) {
    if (e instanceof AwsServiceException) {
      AwsServiceException aws = (AwsServiceException) e;
      AwsErrorDetails details = aws.awsErrorDetails();
      String code = details == null || details.errorCode() == null ? "Unknown" : details.errorCode();
      String message = details == null || details.errorMessage() == null ? String.valueOf(aws.getMessage())
          : details.errorMessage();
      String service = details == null || details.serviceName() == null ? "" : details.serviceName() + ": ";
      boolean retryable = aws.isThrottlingException() || aws.statusCode() >= 500 || TRANSIENT_CODES.contains(code);
      return new ProviderException("aws", code, service + message, aws.requestId(), aws.statusCode(), retryable, e);
    }
    if (e instanceof SdkClientException) {
      return new ProviderException("aws", "ClientError", String.valueOf(e.getMessage()), null, 0, isIoProblem(e), e);
    }
    return e;
  }

  /** The AWS error code of {@code e}, or empty text when it is no AWS service error. */
  static String code(Throwable e) {
    if (e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null) {
      String code = ((AwsServiceException) e).awsErrorDetails().errorCode();
      return code == null ? "" : code;
    }
    return "";
  }

  private static boolean isIoProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return true;
      }
    }
    return false;
  }
}
