package dev.cloudpg.aws.internal;

import dev.cloudpg.ProviderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
      boolean retryable = aws.isThrottlingException() || aws.statusCode() >= 500 || TRANSIENT_CODES.contains(code);
      if (AUTHENTICATION_CODES.contains(code)) {
        message += "; AWS refused the credentials: " + LOGIN_HINT;
      }
      return new ProviderException("aws", code, service + message, aws.requestId(), aws.statusCode(), retryable, e);
    }
    if (e instanceof SdkClientException && isMissingCredentials(e)) {
      return new ProviderException("aws", "NoCredentials", noCredentials(String.valueOf(e.getMessage())), null, 0,
          false, e);
    }
    if (e instanceof SdkClientException) {
      return new ProviderException("aws", "ClientError", String.valueOf(e.getMessage()), null, 0, isIoProblem(e), e);
    }
    return e;
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

  private static boolean isIoProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return true;
      }
    }
    return false;
  }
}
