package dev.cloudpg.aws.internal;

import dev.cloudpg.ProviderException;
import dev.cloudpg.spi.Retry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Maps AWS SDK exceptions to {@link ProviderException}s and classifies them for the engine, the only layer that
 * retries (the SDK clients make each request once):
 *
 * <ul>
 *   <li>transient: throttling, 5xx other than 501, a connection reset, refused or timed out;
 *   <li>propagation: EC2 and RDS not yet caught up with a change this run made: an id not yet visible right after
 *       its creation ({@link #NOT_YET_VISIBLE}, a couple of minutes at most), a dependency not yet released after a
 *       deletion or a resource still busy with the previous change ({@link #NOT_YET_RELEASED});
 *   <li>never: everything else (a refused permission, a bad parameter, missing credentials).
 * </ul>
 */
public final class AwsErrors {
  /** Throttling codes of the AWS services, beyond what the SDK itself calls throttling. */
  static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "ThrottledException",
      "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "TooManyRequestsException",
      "EC2ThrottledException", "PriorRequestNotComplete", "SlowDown");
  /** Codes of transient service faults, whatever the HTTP status says. */
  static final Set<String> SERVICE_FAULTS = Set.of("InternalError", "InternalFailure", "ServiceUnavailable",
      "Unavailable", "RequestTimeout", "RequestTimeoutException");
  /** An id not yet visible everywhere right after its creation. */
  static final Set<String> NOT_YET_VISIBLE = Set.of("InvalidVpcPeeringConnectionID.NotFound",
      "InvalidVpcPeeringConnectionId.NotFound", "InvalidVpcID.NotFound", "InvalidSubnetID.NotFound",
      "InvalidGroup.NotFound", "InvalidRouteTableID.NotFound", "InvalidVPCNetworkStateFault");
  /** A dependency not yet released after a deletion, or a resource still busy with the previous change. */
  static final Set<String> NOT_YET_RELEASED = Set.of("DependencyViolation", "IncorrectState",
      "InvalidDBClusterStateFault", "InvalidDBInstanceState", "InvalidDBSubnetGroupStateFault");
  /** How long EC2 and RDS take at most to show a new id everywhere. */
  static final Duration VISIBILITY_PATIENCE = Duration.ofMinutes(2);
  /**
   * How long a deleted resource may hold on to what it used: the network interfaces of a deleted Aurora instance can
   * keep its security group and subnets in use for several minutes.
   */
  static final Duration RELEASE_PATIENCE = Duration.ofMinutes(10);

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
      boolean retryable = isTransient(aws, code) || NOT_YET_VISIBLE.contains(code) || NOT_YET_RELEASED.contains(code);
      return new ProviderException("aws", code, service + oneLine(message), aws.requestId(), aws.statusCode(),
          retryable, e);
    }
    if (e instanceof SdkClientException) {
      return new ProviderException("aws", "ClientError", oneLine(String.valueOf(e.getMessage())), null, 0,
          isIoProblem(e), e);
    }
    return e;
  }

  /** How the engine treats a failure, once {@link #translate translated}; see the class documentation. */
  public static Retry retry(Throwable e) {
    Throwable translated = e instanceof RuntimeException ? translate((RuntimeException) e) : e;
    if (!(translated instanceof ProviderException) || !"aws".equals(((ProviderException) translated).provider())) {
      return Retry.never();
    }
    ProviderException p = (ProviderException) translated;
    if (NOT_YET_VISIBLE.contains(p.errorCode())) {
      return Retry.propagation(VISIBILITY_PATIENCE);
    }
    if (NOT_YET_RELEASED.contains(p.errorCode())) {
      return Retry.propagation(RELEASE_PATIENCE);
    }
    return p.retryable() ? Retry.transientError() : Retry.never();
  }

  private static boolean isTransient(AwsServiceException e, String code) {
    int status = e.statusCode();
    return e.isThrottlingException() || THROTTLING.contains(code) || SERVICE_FAULTS.contains(code)
        || status >= 500 && status != 501;
  }

  /** The AWS error code of {@code e}, or empty text when it is no AWS service error. */
  static String code(Throwable e) {
    if (e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null) {
      String code = ((AwsServiceException) e).awsErrorDetails().errorCode();
      return code == null ? "" : code;
    }
    return "";
  }

  /** A reset, refused or timed-out connection, or a call that ran out of time: worth another attempt. */
  private static boolean isIoProblem(Throwable e) {
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return true;
      }
    }
    return false;
  }

  /**
   * An AWS message on one line: it may echo values of the request, so control and line-separator characters become
   * spaces and no message can forge a line of a log. Unlike {@link dev.cloudpg.spi.Text#quote} it keeps the whole
   * message, whose end often says what to do.
   */
  private static String oneLine(String message) {
    return message.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}\\p{Cf}]", " ");
  }
}
