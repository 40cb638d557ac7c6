package dev.cloudpg.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How long the fake cloud takes, in simulated time: per resource type to create and to delete, plus the latency of
 * every API call. Each resource's durations vary by up to {@code ±jitter} (a fraction), derived from the fake's seed
 * and the resource's name so that runs repeat.
 *
 * <p>Resource types: {@code network}, {@code subnet}, {@code firewall}, {@code subnet-group},
 * {@code database-cluster}, {@code database-instance}, {@code peering}, {@code route}, {@code firewall-rule}.
 *
 * <p>Immutable and thread-safe.
 */
public final class LatencyProfile {
  private final Map<String, Duration> create;
  private final Map<String, Duration> delete;
  private final Duration apiCall;
  private final double jitter;

  private LatencyProfile(Map<String, Duration> create, Map<String, Duration> delete, Duration apiCall,
      double jitter) {
    this.create = Map.copyOf(create);
    this.delete = Map.copyOf(delete);
    this.apiCall = apiCall;
    this.jitter = jitter;
  }

  /**
   * Every call and every state change is immediate.
   *
   * @return a profile of zero durations and no jitter
   */
  public static LatencyProfile instant() {
    return new LatencyProfile(Map.of(), Map.of(), Duration.ZERO, 0);
  }

  /**
   * Durations close to AWS's for Aurora: about 6 minutes for a cluster and 9 for an instance, 30 seconds for a
   * peering to become active, seconds for network pieces, 80 ms per API call, ±10 %.
   *
   * @return the profile {@link FakeCloud} uses by default
   */
  public static LatencyProfile realistic() {
    return builder()
        .create("network", Duration.ofSeconds(3)).delete("network", Duration.ofSeconds(2))
        .create("subnet", Duration.ofSeconds(2)).delete("subnet", Duration.ofSeconds(2))
        .create("firewall", Duration.ofSeconds(2)).delete("firewall", Duration.ofSeconds(2))
        .create("subnet-group", Duration.ofSeconds(2)).delete("subnet-group", Duration.ofSeconds(1))
        .create("database-cluster", Duration.ofMinutes(6)).delete("database-cluster", Duration.ofMinutes(4))
        .create("database-instance", Duration.ofMinutes(9)).delete("database-instance", Duration.ofMinutes(6))
        .create("peering", Duration.ofSeconds(30)).delete("peering", Duration.ofSeconds(10))
        .create("route", Duration.ofSeconds(1)).delete("route", Duration.ofSeconds(1))
        .create("firewall-rule", Duration.ofSeconds(1)).delete("firewall-rule", Duration.ofSeconds(1))
        .apiCall(Duration.ofMillis(80))
        .jitter(0.1)
        .build();
  }

  /**
   * This profile with another jitter: {@code withJitter(0)} makes every duration exactly nominal.
   *
   * @param fraction the new jitter, from 0 to 0.5
   * @return a new profile with the same durations
   * @throws IllegalArgumentException if {@code fraction} is not between 0 and 0.5
   */
  public LatencyProfile withJitter(double fraction) {
    Builder b = builder().apiCall(apiCall).jitter(fraction);
    b.create.putAll(create);
    b.delete.putAll(delete);
    return b.build();
  }

  /**
   * A profile to fill in; types left out are immediate.
   *
   * @return a new builder with no durations, no API call latency and no jitter
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The nominal time to create a resource of this type.
   *
   * @param type the resource type, such as {@code database-cluster}
   * @return the nominal duration; zero for a type the profile leaves out
   */
  public Duration create(String type) {
    return create.getOrDefault(type, Duration.ZERO);
  }

  /**
   * The nominal time to delete a resource of this type.
   *
   * @param type the resource type, such as {@code database-cluster}
   * @return the nominal duration; zero for a type the profile leaves out
   */
  public Duration delete(String type) {
    return delete.getOrDefault(type, Duration.ZERO);
  }

  /**
   * The latency of every API call. It is spent only when the fake runs on scaled real time
   * ({@link FakeCloud.Builder#timeScale(double)}); on the virtual clock calls take no simulated time.
   *
   * @return the latency of one call
   */
  public Duration apiCall() {
    return apiCall;
  }

  /**
   * How much each resource's durations vary around the nominal ones.
   *
   * @return the fraction, from 0 to 0.5
   */
  public double jitter() {
    return jitter;
  }

  /**
   * Builds a {@link LatencyProfile}. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, Duration> create = new HashMap<>();
    private final Map<String, Duration> delete = new HashMap<>();
    private Duration apiCall = Duration.ZERO;
    private double jitter;

    /**
     * The nominal time to create a resource of this type, replacing any set before.
     *
     * @param type the resource type, such as {@code database-cluster}
     * @param duration the nominal duration
     * @return this builder
     */
    public Builder create(String type, Duration duration) {
      create.put(type, duration);
      return this;
    }

    /**
     * The nominal time to delete a resource of this type, replacing any set before.
     *
     * @param type the resource type, such as {@code database-cluster}
     * @param duration the nominal duration
     * @return this builder
     */
    public Builder delete(String type, Duration duration) {
      delete.put(type, duration);
      return this;
    }

    /**
     * The latency of every API call (default zero); see {@link LatencyProfile#apiCall()}.
     *
     * @param duration the latency of one call
     * @return this builder
     */
    public Builder apiCall(Duration duration) {
      apiCall = duration;
      return this;
    }

    /**
     * Variation of each resource's durations, a fraction from 0 to 0.5 (default 0).
     *
     * @param fraction the jitter: 0.1 varies each duration by up to ±10 %
     * @return this builder
     * @throws IllegalArgumentException if {@code fraction} is not between 0 and 0.5
     */
    public Builder jitter(double fraction) {
      if (fraction < 0 || fraction > 0.5) {
        throw new IllegalArgumentException("jitter must be between 0 and 0.5: " + fraction);
      }
      jitter = fraction;
      return this;
    }

    /**
     * The profile, with a copy of the durations set so far.
     *
     * @return a new profile
     */
    public LatencyProfile build() {
      return new LatencyProfile(create, delete, apiCall, jitter);
    }
  }
}
