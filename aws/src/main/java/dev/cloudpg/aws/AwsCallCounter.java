package dev.cloudpg.aws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the AWS API calls made through the clients it is registered on, by {@code Service.Operation}. The clients of
 * an {@link AwsCloud} make each request once (their own retries are off; the engine retries), so every call counted is
 * one request sent, and a call the engine retries counts once per attempt. Register it with
 * {@link AwsCloud.Builder#addInterceptor}; it is thread-safe.
 *
 * <pre>{@code
 * AwsCallCounter calls = new AwsCallCounter();
 * AwsCloud cloud = AwsCloud.builder().region("eu-west-1").addInterceptor(calls).build();
 * cloud.apply(stack);
 * System.out.println(calls.total() + " calls, " + calls.mutating() + " of them changing something");
 * }</pre>
 */
public final class AwsCallCounter implements ExecutionInterceptor {
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  /** A counter that has counted nothing yet. */
  public AwsCallCounter() {}

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    counts.computeIfAbsent(service + "." + operation, k -> new AtomicInteger()).incrementAndGet();
  }

  /**
   * Every call counted since creation or the last {@link #reset()}.
   *
   * @return the number of calls
   */
  public int total() {
    return counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /**
   * The calls that may change something: every operation but {@code Describe}, {@code List} and {@code Get}.
   *
   * @return the number of calls that {@link #isMutating} counts as mutating
   */
  public int mutating() {
    return snapshot().entrySet().stream().filter(e -> isMutating(e.getKey())).mapToInt(Map.Entry::getValue).sum();
  }

  /**
   * The count of each {@code Service.Operation}, sorted by name.
   *
   * @return a copy of the counts at this moment, by {@code Service.Operation}
   */
  public Map<String, Integer> snapshot() {
    Map<String, Integer> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Forgets every count. */
  public void reset() {
    counts.clear();
  }

  /**
   * Whether {@code Service.Operation} names an operation that may change something: one whose name does not start
   * with {@code Describe}, {@code List} or {@code Get}.
   *
   * @param serviceOperation a key of {@link #snapshot()}, such as {@code RDS.CreateDBCluster}
   * @return true when the operation may change something
   */
  public static boolean isMutating(String serviceOperation) {
    String operation = serviceOperation.substring(serviceOperation.indexOf('.') + 1);
    return !(operation.startsWith("Describe") || operation.startsWith("List") || operation.startsWith("Get"));
  }

  @Override
  public String toString() {
    return total() + " calls " + snapshot();
  }
}
