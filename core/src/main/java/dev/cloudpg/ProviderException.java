package dev.cloudpg;

import java.util.Optional;

/**
 * A cloud API refused a request. Carries the provider ({@code aws}, {@code azure}, {@code mst}), the API's error code
 * and request id, and whether the engine may retry it (throttling, transient server errors, eventual consistency).
 */
public class ProviderException extends CloudpgException {
  private static final long serialVersionUID = 1L;
  private final String provider;
  private final String errorCode;
  private final String requestId;
  private final int httpStatus;
  private final boolean retryable;

  public ProviderException(String provider, String errorCode, String message, String requestId, int httpStatus,
      boolean retryable, Throwable cause) {
    super(provider + " error " + errorCode + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "") + ": " + message
        + (requestId == null ? "" : " [request id " + requestId + "]"), cause);
    this.provider = provider;
    this.errorCode = errorCode;
    this.requestId = requestId;
    this.httpStatus = httpStatus;
    this.retryable = retryable;
  }

  public String provider() {
    return provider;
  }

  public String errorCode() {
    return errorCode;
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** The HTTP status, or 0 when there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  public boolean retryable() {
    return retryable;
  }
}
