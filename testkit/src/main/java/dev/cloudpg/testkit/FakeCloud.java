package dev.cloudpg.testkit;

import dev.cloudpg.spi.AbstractCloud;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.VirtualClock;
import dev.cloudpg.testkit.internal.FakeModel;
import dev.cloudpg.testkit.internal.FakeProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link dev.cloudpg.Cloud} in memory, for testing programs that use cloudpg: the real engine over a model of
 * networks, databases and peerings with realistic state machines, simulated time, fault injection, a call log and an
 * inspection API. Each instance is independent; nothing is global.
 *
 * <pre>{@code
 * FakeCloud cloud = FakeCloud.builder().seed(7).build();
 * cloud.addPeerNetwork("vpc-0a11", "10.0.0.0/16");
 * StackOutputs out = cloud.apply(stack);
 * assertThat(cloud.resources("database-instance")).hasSize(2);
 * }</pre>
 *
 * <p>Time: the fake runs on a {@link VirtualClock} by default. The clock moves only when every step of a run is
 * waiting, jumping to the next due poll, so a cluster that takes 15 simulated minutes costs a few milliseconds of CPU,
 * and the same seed gives the same ids, durations, events and event order on every run. API calls take no simulated
 * time there (calls run one at a time, so their latencies would add up where real calls overlap).
 * {@link Builder#timeScale(double)} runs it on real time sped up instead, with the profile's call latency, for
 * demonstrations that should visibly take a while. {@link #elapsed()} and every duration in events and results are
 * simulated.
 *
 * <p>Thread-safe; an apply on one thread and inspection from another see a consistent model.
 */
public final class FakeCloud extends AbstractCloud {
  /** The simulated clock's starting point. */
  public static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");

  private final FakeModel model;
  private final LatencyProfile latency;

  private FakeCloud(FakeModel model, LatencyProfile latency, int zones, TimeSource time) {
    super(new FakeProvider(model, zones), time);
    this.model = model;
    this.latency = latency;
  }

  /**
   * A builder with the defaults: seed 0, realistic latencies, virtual time, three zones.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A fake with the defaults: seed 0, realistic latencies, virtual time, three zones.
   *
   * @return a new fake cloud
   */
  public static FakeCloud create() {
    return builder().build();
  }

  /**
   * Adds an existing network outside any stack, the kind a {@link dev.cloudpg.PeerNetwork} names: its reference (a
   * VPC id, an instance DNS name, a VNet name) and CIDR. It is {@code available} at once and belongs to no stack.
   *
   * @param reference the name a peer network gives it, also its {@code Name} tag
   * @param cidr its address block, such as {@code 10.0.0.0/16}
   * @return the network as the fake holds it
   */
  public FakeResource addPeerNetwork(String reference, String cidr) {
    return model.addExisting("network", reference, Map.of("Name", reference), Map.of("cidr", cidr));
  }

  /**
   * Adds a resource of a stack-like name that no stack owns, to see cloudpg refuse to take it over. {@code name} is
   * the name the fake uses for a stack's resource: {@code <stack>-<spec name>} (subnets add {@code -a}, {@code -b}...).
   *
   * @param type the resource type, such as {@code network} or {@code database-cluster}
   * @param name the resource's name
   * @return the resource as the fake holds it, {@code available} and tagged with another owner
   */
  public FakeResource addForeignResource(String type, String name) {
    return model.addExisting(type, name, Map.of("owner", "someone else"), Map.of());
  }

  // ---- faults ----

  /**
   * Throttles this fraction of API calls with a retryable {@code Throttling} error, until {@link #clearFaults()}.
   *
   * @param rate the fraction of calls throttled, at least 0 and below 1; 0 throttles none
   * @return this fake
   * @throws IllegalArgumentException if {@code rate} is not in [0, 1)
   */
  public FakeCloud throttle(double rate) {
    if (rate < 0 || rate >= 1) {
      throw new IllegalArgumentException("throttle rate must be in [0, 1): " + rate);
    }
    model.throttleRate(rate);
    return this;
  }

  /**
   * Every create of the resource with this key (as a plan shows it: {@code fake:database-cluster/orders}) fails with a
   * permanent error until {@link #clearFaults()}.
   *
   * @param resourceKey the resource's key, as a plan shows it
   * @return this fake
   */
  public FakeCloud failCreate(String resourceKey) {
    model.failOn(resourceKey, true);
    return this;
  }

  /**
   * The next create of the resource with this key fails with a permanent error; later creates succeed.
   *
   * @param resourceKey the resource's key, as a plan shows it ({@code fake:database-cluster/orders})
   * @return this fake
   */
  public FakeCloud failCreateOnce(String resourceKey) {
    model.failOn(resourceKey, false);
    return this;
  }

  /**
   * The next create of the resource with this key happens, but its answer never arrives: the call fails as a reset
   * connection, the way a lost response does on a real cloud. The engine must find what was made instead of making a
   * second one.
   *
   * @param resourceKey the resource's key, as a plan shows it ({@code fake:database-cluster/orders})
   * @return this fake
   */
  public FakeCloud loseResponseOnce(String resourceKey) {
    model.loseResponseOnce(resourceKey);
    return this;
  }

  /**
   * Makes a second resource with the same type, name and ownership tags as the stack's resource with this key, as a
   * blind resend of its create would: to test what a program does with duplicates.
   *
   * @param stack the name of the stack that owns the resource
   * @param resourceKey the resource's key, as a plan shows it ({@code fake:database-cluster/orders})
   * @return the duplicate, in the original's state
   * @throws IllegalArgumentException if the stack owns no resource with this key
   */
  public FakeResource duplicate(String stack, String resourceKey) {
    FakeResource original = resourcesOf(stack).stream()
        .filter(r -> resourceKey.equals(r.tags().get(dev.cloudpg.spi.Ownership.KEY))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("stack " + stack + " has no resource " + resourceKey));
    return model.duplicate(original.id());
  }

  /**
   * Changes attributes of the stack's resource with this key out of band, as the cloud does on its own or someone
   * by hand: to test what a program does on day two. {@code changeOutOfBand("shop", "fake:database-cluster/orders",
   * Map.of("version", "16.9"))} is an automatic minor upgrade, which a stack asking for {@code 16.4} or {@code 16}
   * accepts as up to date ("at least" semantics, as on AWS).
   *
   * @param stack the name of the stack that owns the resource
   * @param resourceKey the resource's key, as a plan shows it
   * @param attributes the attributes to set, such as {@code version} of a database cluster
   * @return the resource as changed
   * @throws IllegalArgumentException if the stack owns no resource with this key
   */
  public FakeResource changeOutOfBand(String stack, String resourceKey, Map<String, String> attributes) {
    FakeResource target = resourcesOf(stack).stream()
        .filter(r -> resourceKey.equals(r.tags().get(dev.cloudpg.spi.Ownership.KEY))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("stack " + stack + " has no resource " + resourceKey));
    return model.changeOutOfBand(target.id(), attributes);
  }

  /**
   * Makes the stack's lease held by {@code holder} until {@code expires}, as another run would hold it (one that
   * died, when {@code expires} has passed): to test what a program does when a stack is locked.
   *
   * @param stack the stack's name
   * @param holder the holder the lease names
   * @param expires when the lease expires, in the fake's simulated time (which starts at {@link #EPOCH})
   * @return this fake
   */
  public FakeCloud holdLease(String stack, String holder, Instant expires) {
    model.putLease(stack, new dev.cloudpg.spi.LeaseRecord(holder, "held-by-test", time().now(), expires, ""));
    return this;
  }

  /**
   * The holder of the stack's lease, if a run holds it. This reads the lease through the fake's API: the read
   * appears in {@link #calls()} as {@code getLease} and is subject to {@link #throttle(double)}.
   *
   * @param stack the stack's name
   * @return the holder; empty when no lease is recorded for the stack
   * @throws dev.cloudpg.ProviderException when the read is throttled
   */
  public Optional<String> leaseHolder(String stack) {
    return model.lease(stack).map(dev.cloudpg.spi.LeaseRecord::holder);
  }

  /**
   * Peers reject peering requests: peerings end in state {@code rejected}, until {@link #clearFaults()}.
   *
   * @param rejects true to reject, false to accept again
   * @return this fake
   */
  public FakeCloud peerRejects(boolean rejects) {
    model.peerRejects(rejects);
    return this;
  }

  /**
   * Removes every injected fault: failing and lost creates, throttling and rejecting peers. Held leases and
   * resources added by the test stay.
   *
   * @return this fake
   */
  public FakeCloud clearFaults() {
    model.clearFaults();
    return this;
  }

  // ---- inspection ----

  /**
   * Every API call so far, in order, since the fake was made or {@link #clearCalls()}.
   *
   * @return a copy of the call log
   */
  public List<FakeCall> calls() {
    return model.calls();
  }

  /**
   * The calls that changed state: those {@link FakeCall#mutating()} says so of.
   *
   * @return the mutating calls, in order
   */
  public List<FakeCall> mutatingCalls() {
    return model.calls().stream().filter(FakeCall::mutating).toList();
  }

  /**
   * Empties the call log.
   */
  public void clearCalls() {
    model.clearCalls();
  }

  /**
   * Every resource in the fake cloud, stacks' and others', in creation order.
   *
   * @return the resources that exist now
   */
  public List<FakeResource> resources() {
    return model.resources();
  }

  /**
   * The resources of one type ({@code network}, {@code database-instance}...).
   *
   * @param type the resource type
   * @return the resources of that type that exist now, in creation order
   */
  public List<FakeResource> resources(String type) {
    return model.resources().stream().filter(r -> r.type().equals(type)).toList();
  }

  /**
   * The resources a stack owns, by their {@link dev.cloudpg.spi.Ownership#STACK} tag.
   *
   * @param stack the stack's name
   * @return the stack's resources that exist now, in creation order
   */
  public List<FakeResource> resourcesOf(String stack) {
    return model.resources().stream().filter(r -> stack.equals(r.stack())).toList();
  }

  /**
   * Simulated time since this fake was made.
   *
   * @return the simulated time elapsed
   */
  public Duration elapsed() {
    return model.elapsed();
  }

  /**
   * The nominal durations this fake simulates.
   *
   * @return the latency profile it was built with
   */
  public LatencyProfile latency() {
    return latency;
  }

  /**
   * Builds a {@link FakeCloud}. Not thread-safe.
   */
  public static final class Builder {
    private long seed;
    private LatencyProfile latency = LatencyProfile.realistic();
    private double timeScale;
    private int zones = 3;

    /**
     * Fixes resource ids, latency jitter and throttling decisions, so that runs repeat (default 0).
     *
     * @param seed the random seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The durations the fake simulates (default {@link LatencyProfile#realistic()}).
     *
     * @param latency the latency profile
     * @return this builder
     */
    public Builder latency(LatencyProfile latency) {
      this.latency = latency;
      return this;
    }

    /**
     * Runs the fake on real time sped up {@code scale} times, instead of the default virtual clock: for
     * demonstrations. Durations then vary slightly from run to run with the machine's speed.
     *
     * @param scale how many times faster than real time the fake runs, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code scale} is below 1 or not a number
     */
    public Builder timeScale(double scale) {
      if (!(scale >= 1)) {
        throw new IllegalArgumentException("time scale must be at least 1: " + scale);
      }
      this.timeScale = scale;
      return this;
    }

    /**
     * Availability zones in the fake region (default 3); a stack that asks for more fails validation.
     *
     * @param zones the number of zones
     * @return this builder
     */
    public Builder zones(int zones) {
      this.zones = zones;
      return this;
    }

    /**
     * The fake, its clock starting at {@link FakeCloud#EPOCH}.
     *
     * @return a new fake cloud
     */
    public FakeCloud build() {
      TimeSource time = timeScale > 0 ? TimeSource.scaled(EPOCH, timeScale) : TimeSource.virtual(EPOCH);
      return new FakeCloud(new FakeModel(seed, time, latency), latency, zones, time);
    }
  }
}
