package dev.cloudpg.aws.internal;

import dev.cloudpg.ProviderException;
import dev.cloudpg.spi.Retry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** Error codes by which AWS refuses the credentials themselves: unknown, malformed, mis-signed or expired. */
  static final Set<String> AUTHENTICATION_CODES = Set.of(
      "AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
      "IncompleteSignature", "InvalidAccessKeyId", "MissingAuthenticationToken", "ExpiredToken",
      "ExpiredTokenException");

  /** What to do when there are no credentials or AWS refuses them. */
  static final String LOGIN_HINT = "run 'aws configure' (or 'aws sso login' for an SSO profile), set AWS_PROFILE to "
      + "a configured profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for "
      + "temporary credentials)";

  /** The credential providers of the SDK's default chain, as a reader would name the place each one looks in. */
  private static final Map<String, String> CREDENTIAL_SOURCES = Map.of(
      "SystemPropertyCredentialsProvider", "the system properties aws.accessKeyId and aws.secretAccessKey",
      "EnvironmentVariableCredentialsProvider",
      "the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
      "WebIdentityTokenFileCredentialsProvider", "a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)",
      "ProfileCredentialsProvider", "the profile %s in ~/.aws/credentials and ~/.aws/config",
      "ContainerCredentialsProvider", "the container credentials endpoint",
      "InstanceProfileCredentialsProvider", "the EC2 instance metadata service");
  private static final Pattern PROVIDER = Pattern.compile("\\b(\\w+CredentialsProvider)\\(");
  private static final Pattern PROFILE = Pattern.compile("profileName=([^,)\\s]+)");

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
      if (AUTHENTICATION_CODES.contains(code)) {
        message += "; AWS refused the credentials: " + LOGIN_HINT;
      }
      return new ProviderException("aws", code, service + oneLine(message), aws.requestId(), aws.statusCode(),
          retryable, e);
    }
    if (e instanceof SdkClientException && isMissingCredentials(e)) {
      return new ProviderException("aws", "NoCredentials", noCredentials(String.valueOf(e.getMessage())), null, 0,
          false, e);
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

  /** Whether {@code e} says that no credential provider had credentials to give. */
  private static boolean isMissingCredentials(Throwable e) {
    return String.valueOf(e.getMessage()).startsWith("Unable to load credentials");
  }

  /**
   * One sentence naming the places the SDK looked in and what to do, instead of the SDK's list of every provider's
   * own complaint (some 1,500 characters for the default chain).
   */
  static String noCredentials(String sdkMessage) {
    Set<String> tried = new LinkedHashSet<>();
    Matcher provider = PROVIDER.matcher(sdkMessage);
    while (provider.find()) {
      String source = CREDENTIAL_SOURCES.get(provider.group(1));
      if (source != null && source.contains("%s")) {
        Matcher profile = PROFILE.matcher(sdkMessage);
        source = String.format(source, profile.find() ? "'" + profile.group(1) + "'"
            : "of AWS_PROFILE or 'default'");
      }
      tried.add(source != null ? source : provider.group(1));
    }
    boolean chain = sdkMessage.contains("AwsCredentialsProviderChain")
        || sdkMessage.contains("DefaultCredentialsProvider");
    String who = chain ? "the default credential chain" : "the credentials provider";
    String where = tried.isEmpty() ? "" : " looked in " + String.join(", ", tried) + " and";
    return who + where + " found no AWS credentials; " + LOGIN_HINT;
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
