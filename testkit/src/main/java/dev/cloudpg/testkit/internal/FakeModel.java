package dev.cloudpg.testkit.internal;

import dev.cloudpg.ProviderException;
import dev.cloudpg.spi.LeaseRecord;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.VirtualClock;
import dev.cloudpg.testkit.FakeCall;
import dev.cloudpg.testkit.FakeResource;
import dev.cloudpg.testkit.LatencyProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fake cloud's state and API. Every public method is one API call: it costs the profile's call latency, may be
 * throttled, is logged, and sees resources in the state that simulated time has brought them to. Resources move from
 * {@code creating} to {@code available} (peerings from {@code provisioning} to {@code active}) and from
 * {@code deleting} to gone once their duration has passed. Like a real cloud, the model refuses to delete what still
 * has dependents and to create in a parent that does not exist.
 */
public final class FakeModel {
  private final long seed;
  private final TimeSource time;
  private final Instant start;
  private final LatencyProfile latency;
  private final Map<String, Entry> byId = new LinkedHashMap<>();
  private final List<FakeCall> calls = new ArrayList<>();
  private final Map<String, Integer> callsPerTarget = new HashMap<>();
  private final Set<String> failing = new HashSet<>();
  private final Map<String, Integer> failingOnce = new HashMap<>();
  private final Set<String> losingOnce = new HashSet<>();
  private final Map<String, Integer> madeBefore = new HashMap<>();
  private final Map<String, LeaseRecord> leases = new HashMap<>();
  private long leaseVersions;
  private double throttleRate;
  private boolean peerRejects;

  /** A resource and its lifecycle. */
  private static final class Entry {
    final String type;
    final String id;
    final String name;
    final Map<String, String> tags;
    final Map<String, String> attributes;
    String state;
    Instant readyAt;
    Instant goneAt;

    Entry(String type, String id, String name, Map<String, String> tags, Map<String, String> attributes) {
      this.type = type;
      this.id = id;
      this.name = name;
      this.tags = new LinkedHashMap<>(tags);
      this.attributes = new LinkedHashMap<>(attributes);
    }

    FakeResource view() {
      return new FakeResource(type, id, name, state, tags, attributes);
    }
  }

  public FakeModel(long seed, TimeSource time, LatencyProfile latency) {
    this.seed = seed;
    this.time = time;
    this.start = time.now();
    this.latency = latency;
  }

  // ---- configuration and inspection (not API calls) ----

  public synchronized void throttleRate(double rate) {
    this.throttleRate = rate;
  }

  public synchronized void failOn(String name, boolean always) {
    if (always) {
      failing.add(name);
    } else {
      failingOnce.merge(name, 1, Integer::sum);
    }
  }

  /** The next create of the resource with this key happens, but its answer is lost: the call fails as a reset. */
  public synchronized void loseResponseOnce(String key) {
    losingOnce.add(key);
  }

  public synchronized void peerRejects(boolean rejects) {
    this.peerRejects = rejects;
  }

  public synchronized void clearFaults() {
    failing.clear();
    failingOnce.clear();
    losingOnce.clear();
    throttleRate = 0;
    peerRejects = false;
  }

  public synchronized List<FakeCall> calls() {
    return List.copyOf(calls);
  }

  public synchronized void clearCalls() {
    calls.clear();
  }

  public Duration elapsed() {
    return Duration.between(start, time.now());
  }

  /** Every resource that exists now, in creation order. */
  public synchronized List<FakeResource> resources() {
    advance();
    return byId.values().stream().map(Entry::view).toList();
  }

  /** Adds a resource that exists outside any stack, such as the application network to peer with. */
  public synchronized FakeResource addExisting(String type, String name, Map<String, String> tags,
      Map<String, String> attributes) {
    Entry e = new Entry(type, newId(type, name), name, tags, attributes);
    e.state = "available";
    byId.put(e.id, e);
    return e.view();
  }

  // ---- API calls ----

  /**
   * The resource of this type and name, if it exists; refused with {@code Ambiguous} when several do: networks and
   * peerings are named by a tag, as VPCs and peering connections are, so a blind resend or a replacement can make
   * two, and a route moving to another network has a namesake until the old one is gone.
   */
  public Optional<FakeResource> describe(String type, String name) {
    return call("describe" + camel(type), name, () -> {
      List<Entry> found = byId.values().stream().filter(e -> e.type.equals(type) && e.name.equals(name)).toList();
      if (found.size() > 1) {
        throw error("Ambiguous", found.size() + " " + type + "s are named " + name + ": "
            + found.stream().map(e -> e.id).toList(), false);
      }
      return found.stream().findFirst().map(Entry::view);
    });
  }

  /** Every resource tagged as the stack's, in one call: what a tag-based discovery API returns. */
  public List<FakeResource> listOwnedBy(String stack) {
    return call("getResources", Ownership.STACK + "=" + stack, () -> byId.values().stream()
        .filter(e -> stack.equals(e.tags.get(Ownership.STACK))).map(Entry::view).toList());
  }

  /** Every resource tagged with a stack, whichever. */
  public List<FakeResource> listOwned() {
    return call("getResources", Ownership.STACK, () -> byId.values().stream()
        .filter(e -> e.tags.containsKey(Ownership.STACK)).map(Entry::view).toList());
  }

  /** A second resource with the same type, name, tags and attributes as {@code id}: what a blind resend makes. */
  public synchronized FakeResource duplicate(String id) {
    Entry original = existing(id);
    Entry copy = new Entry(original.type, newId(original.type, original.name), original.name, original.tags,
        original.attributes);
    copy.state = original.state;
    copy.readyAt = original.readyAt;
    byId.put(copy.id, copy);
    return copy.view();
  }

  /**
   * Changes a resource's attributes as the cloud does on its own (an automatic minor upgrade) or someone by hand:
   * no call is recorded and no fault applies.
   */
  public synchronized FakeResource changeOutOfBand(String id, Map<String, String> attributes) {
    Entry e = existing(id);
    e.attributes.putAll(attributes);
    return e.view();
  }

  /** Every resource of this type. */
  public List<FakeResource> list(String type) {
    return call("describe" + camel(type) + "s", "*", () -> byId.values().stream().filter(e -> e.type.equals(type))
        .map(Entry::view).toList());
  }

  /** The resource with this id, if it exists. */
  public Optional<FakeResource> describeById(String type, String id) {
    return call("describe" + camel(type), id, () -> Optional.ofNullable(byId.get(id)).map(Entry::view));
  }

  /**
   * Creates a resource in state {@code creating} (or {@code available} when its type creates instantly); a resource
   * of the same type, name and parent that exists already, and is not being deleted, is refused with
   * {@code AlreadyExists}. Networks and peerings are named by a tag, as VPCs and peering connections are: two may
   * share a name.
   *
   * @param parentId the id of the resource it lives in, or null; it must exist and be usable
   */
  public FakeResource create(String type, String name, String parentId, Map<String, String> tags,
      Map<String, String> attributes) {
    return call("create" + camel(type), name, () -> {
      injectFailure(tags.getOrDefault(Ownership.KEY, name));
      boolean namedByTag = type.equals("network") || type.equals("peering");
      if (!namedByTag && byId.values().stream().anyMatch(e -> e.type.equals(type) && e.name.equals(name)
          && !e.state.equals("deleting") && java.util.Objects.equals(e.attributes.get("parent"), parentId))) {
        throw error("AlreadyExists", "a " + type + " named " + name + " already exists", false);
      }
      if (parentId != null) {
        Entry parent = byId.get(parentId);
        if (parent == null || parent.state.equals("deleting")) {
          throw error("NotFound", "the parent " + parentId + " of " + name + " does not exist", false);
        }
      }
      Entry e = new Entry(type, newId(type, name), name, tags, attributes);
      if (parentId != null) {
        e.attributes.put("parent", parentId);
      }
      Duration d = duration(latency.create(type), name, "create");
      e.state = d.isZero() ? readyState(type) : (type.equals("peering") ? "pending-acceptance" : "creating");
      e.readyAt = time.now().plus(d);
      byId.put(e.id, e);
      if (losingOnce.remove(tags.getOrDefault(Ownership.KEY, name))) {
        throw error("ConnectionReset", "the connection was reset before the answer arrived", true);
      }
      return e.view();
    });
  }

  /** Accepts a pending peering as its peer's owner; it becomes active after the profile's duration. */
  public FakeResource accept(String id) {
    return call("acceptPeering", id, () -> {
      Entry e = existing(id);
      if (!e.state.equals("pending-acceptance")) {
        throw error("InvalidState", "peering " + id + " is " + e.state + ", not pending-acceptance", false);
      }
      e.state = peerRejects ? "rejected" : "provisioning";
      return e.view();
    });
  }

  /** Changes attributes in place. */
  public FakeResource modify(String id, Map<String, String> attributes) {
    return call("modify" + camel(typeOf(id)), id, () -> {
      Entry e = existing(id);
      e.attributes.putAll(attributes);
      return e.view();
    });
  }

  /** Starts deleting a resource; it disappears after the profile's duration. */
  public void delete(String id) {
    call("delete" + camel(typeOf(id)), id, () -> {
      Entry e = existing(id);
      List<String> children = byId.values().stream()
          .filter(c -> id.equals(c.attributes.get("parent"))
              || List.of(c.attributes.getOrDefault("uses", "").split(",")).contains(id))
          .map(c -> c.id).toList();
      if (!children.isEmpty()) {
        throw error("DependencyViolation", id + " still has dependents " + children, false);
      }
      if ("true".equals(e.attributes.get("deletionProtection"))) {
        throw error("InvalidParameterCombination", id + " has deletion protection on", false);
      }
      if (!e.state.equals("deleting")) {
        e.state = "deleting";
        e.goneAt = time.now().plus(duration(latency.delete(e.type), e.name, "delete"));
      }
      return null;
    });
  }

  // ---- leases: records apart from the resources, written atomically ----

  /** The stack's lease record, if any. */
  public Optional<LeaseRecord> lease(String stack) {
    return call("getLease", stack, () -> Optional.ofNullable(leases.get(stack)));
  }

  /** Stores {@code wanted} if the stack has no lease; returns what is stored afterwards. */
  public LeaseRecord acquireLease(String stack, LeaseRecord wanted) {
    return call("putLeaseIfAbsent", stack,
        () -> leases.computeIfAbsent(stack, k -> wanted.withVersion(String.valueOf(++leaseVersions))));
  }

  /** Replaces the stack's lease if it is still {@code expected}. */
  public Optional<LeaseRecord> replaceLease(String stack, LeaseRecord expected, LeaseRecord next) {
    return call("putLeaseIfVersion", stack, () -> {
      LeaseRecord stored = leases.get(stack);
      if (stored == null || !stored.version().equals(expected.version())) {
        return Optional.<LeaseRecord>empty();
      }
      LeaseRecord written = next.withVersion(String.valueOf(++leaseVersions));
      leases.put(stack, written);
      return Optional.of(written);
    });
  }

  /** Deletes the stack's lease if it is still {@code held}. */
  public void releaseLease(String stack, LeaseRecord held) {
    call("deleteLeaseIfVersion", stack, () -> {
      LeaseRecord stored = leases.get(stack);
      if (stored != null && stored.version().equals(held.version())) {
        leases.remove(stack);
      }
      return null;
    });
  }

  /** Stores a lease as another holder would, for tests (not an API call). */
  public synchronized LeaseRecord putLease(String stack, LeaseRecord record) {
    LeaseRecord written = record.withVersion(String.valueOf(++leaseVersions));
    leases.put(stack, written);
    return written;
  }

  // ---- internals ----

  private <T> T call(String operation, String target, java.util.function.Supplier<T> body) {
    sleep(latency.apiCall());
    synchronized (this) {
      advance();
      Duration at = Duration.between(start, time.now());
      int n = callsPerTarget.merge(target, 1, Integer::sum);
      try {
        if (throttleRate > 0 && unit(target, "throttle" + n) < throttleRate) {
          throw error("Throttling", "rate exceeded", true);
        }
        T result = body.get();
        calls.add(new FakeCall(at, operation, target, "ok"));
        return result;
      } catch (ProviderException e) {
        calls.add(new FakeCall(at, operation, target, e.errorCode()));
        throw e;
      }
    }
  }

  /** Fails the call if a fault was set for this target: a resource key such as {@code fake:network/db}. */
  private void injectFailure(String name) {
    if (failing.contains(name)) {
      throw error("InjectedFailure", "failure injected for " + name, false);
    }
    Integer once = failingOnce.get(name);
    if (once != null) {
      if (once <= 1) {
        failingOnce.remove(name);
      } else {
        failingOnce.put(name, once - 1);
      }
      throw error("InjectedFailure", "failure injected once for " + name, false);
    }
  }

  private void advance() {
    Instant now = time.now();
    byId.values().removeIf(e -> e.state.equals("deleting") && !now.isBefore(e.goneAt));
    for (Entry e : byId.values()) {
      if ((e.state.equals("creating") || e.state.equals("provisioning")) && !now.isBefore(e.readyAt)) {
        e.state = readyState(e.type);
      }
    }
  }

  private static String readyState(String type) {
    return type.equals("peering") ? "active" : "available";
  }

  private Entry existing(String id) {
    Entry e = byId.get(id);
    if (e == null) {
      throw error("NotFound", id + " does not exist", false);
    }
    return e;
  }

  private String typeOf(String id) {
    Entry e = byId.get(id);
    return e == null ? "resource" : e.type;
  }

  /** An id fixed by the seed, the type, the name and how many of that type and name were made before. */
  private String newId(String type, String name) {
    String prefix = type.replaceAll("[^a-z]", "").substring(0, Math.min(4, type.replaceAll("[^a-z]", "").length()));
    int made = madeBefore.merge(type + "/" + name, 1, Integer::sum) - 1;
    long h = mix(seed ^ (type + "/" + name + (made == 0 ? "" : "#" + made)).hashCode());
    return prefix + "-" + String.format("%012x", h & 0xFFFFFFFFFFFFL);
  }

  private Duration duration(Duration nominal, String name, String what) {
    if (nominal.isZero() || latency.jitter() == 0) {
      return nominal;
    }
    double factor = 1 + latency.jitter() * (2 * unit(name, what) - 1);
    return Duration.ofNanos((long) (nominal.toNanos() * factor));
  }

  /** A number in [0, 1) fixed by the seed, the target and the purpose: the same run repeats. */
  private double unit(String target, String purpose) {
    return (mix(seed * 31 + (target + "#" + purpose).hashCode()) >>> 11) / (double) (1L << 53);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * Spends a call's latency. On a virtual clock calls run one at a time, so their latencies would add up where real
   * calls overlap: there they take no simulated time, and only state changes do.
   */
  private void sleep(Duration d) {
    if (d.isZero() || time instanceof VirtualClock) {
      return;
    }
    try {
      time.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static ProviderException error(String code, String message, boolean retryable) {
    return new ProviderException("fake", code, message, null, retryable ? 429 : 400, retryable, null);
  }

  private static String camel(String type) {
    StringBuilder out = new StringBuilder();
    for (String part : type.split("-")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }
}
