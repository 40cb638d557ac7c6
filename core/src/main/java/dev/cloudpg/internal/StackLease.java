package dev.cloudpg.internal;

import dev.cloudpg.ApplyOptions;
import dev.cloudpg.CloudpgException;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningEvent.Type;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.StackLockedException;
import dev.cloudpg.spi.LeaseRecord;
import dev.cloudpg.spi.LeaseStore;
import dev.cloudpg.spi.TimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A run's hold on its stack, in the cloud's {@link LeaseStore}: taken before the first change (waiting while another
 * run holds it, taking over one that expired), renewed while the run lasts, released at the end, also on failure.
 * Not thread-safe: one run uses it from its scheduling thread.
 */
final class StackLease implements AutoCloseable {
  /** How long a lease lasts unless renewed: long enough for a slow call, short enough for a dead holder. */
  static final Duration TTL = Duration.ofMinutes(2);
  /** How often a run renews its lease. */
  static final Duration RENEW_EVERY = TTL.dividedBy(3);
  private static final Duration RETRY_EVERY = Duration.ofSeconds(5);

  private final LeaseStore store;
  private final Stack stack;
  private final TimeSource time;
  private final ProvisioningListener listener;
  private final Predicate<RuntimeException> transientError;
  private LeaseRecord held;
  private Instant renewAt;

  private StackLease(LeaseStore store, Stack stack, TimeSource time, ProvisioningListener listener,
      Predicate<RuntimeException> transientError, LeaseRecord held) {
    this.store = store;
    this.transientError = transientError;
    this.stack = stack;
    this.time = time;
    this.listener = listener;
    this.held = held;
    this.renewAt = time.now().plus(RENEW_EVERY);
  }

  /** Who this process is, for other runs' messages: {@code host pid 4242 started 2026-12-01T09:00:00Z}. */
  static String holderName() {
    String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElseGet(() -> {
      try {
        return Files.readString(Path.of("/etc/hostname")).trim();
      } catch (IOException | RuntimeException e) {
        return "unknown-host";
      }
    });
    ProcessHandle self = ProcessHandle.current();
    return host + " pid " + self.pid() + self.info().startInstant().map(i -> " started " + i).orElse("");
  }

  /**
   * Takes the stack's lease, waiting for another holder up to {@link ApplyOptions#leaseWait()}; none when the provider
   * keeps no leases.
   *
   * @param transientError whether a failed call to the store may be tried again (throttling, say)
   */
  static Optional<StackLease> take(Optional<LeaseStore> store, Stack stack, TimeSource time, ApplyOptions options,
      ProvisioningListener listener, Predicate<RuntimeException> transientError) {
    if (store.isEmpty()) {
      return Optional.empty();
    }
    Instant start = time.now();
    LeaseRecord mine = new LeaseRecord(holderName(), UUID.randomUUID().toString(), start, start.plus(TTL), "");
    boolean reported = false;
    while (true) {
      Instant now = time.now();
      LeaseRecord current;
      try {
        current = store.get().acquire(stack, mine.renewedUntil(now.plus(TTL)));
      } catch (RuntimeException e) {
        if (!transientError.test(e) || Duration.between(start, now).compareTo(options.leaseWait()) >= 0) {
          throw e;
        }
        sleepOn(time, RETRY_EVERY);
        continue;
      }
      if (current.sameRun(mine)) {
        return Optional.of(new StackLease(store.get(), stack, time, listener, transientError, current));
      }
      boolean expired = !current.expires().isAfter(now);
      if (expired || options.breakLease()) {
        Optional<LeaseRecord> taken = store.get().replace(stack, current, mine.renewedUntil(now.plus(TTL)));
        if (taken.isPresent()) {
          listener.onEvent(ProvisioningEvent.ofRun(Type.NOTE, now, Duration.ZERO, (expired
              ? "took over the expired lease of stack " + stack.name() + " from " + current.holder()
                  + " (it stopped renewing it at " + current.expires() + ")"
              : "broke the lease of stack " + stack.name() + " held by " + current.holder() + " since "
                  + current.since() + " (ApplyOptions.breakLease)")));
          return Optional.of(new StackLease(store.get(), stack, time, listener, transientError, taken.get()));
        }
        continue;
      }
      Duration waited = Duration.between(start, now);
      if (waited.compareTo(options.leaseWait()) >= 0) {
        throw new StackLockedException(stack.name(), current.holder(), current.since(), current.expires());
      }
      if (!reported) {
        reported = true;
        listener.onEvent(ProvisioningEvent.ofRun(Type.WAITING, now, waited, "stack " + stack.name()
            + " is being applied by " + current.holder() + " since " + current.since() + "; waiting up to "
            + Durations.format(options.leaseWait()) + " for it to finish"));
      }
      Duration left = options.leaseWait().minus(waited);
      sleepOn(time, left.compareTo(RETRY_EVERY) < 0 ? left : RETRY_EVERY);
    }
  }

  private static void sleepOn(TimeSource time, Duration d) {
    try {
      time.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudpgException("interrupted while waiting for the lease of a stack", e);
    }
  }

  /** When the next renewal is due. */
  Instant renewAt() {
    return renewAt;
  }

  /** Renews the lease if it is due; throws when another run took it, so that nothing new starts. */
  void renewIfDue() {
    Instant now = time.now();
    if (now.isBefore(renewAt)) {
      return;
    }
    Optional<LeaseRecord> renewed;
    try {
      renewed = store.replace(stack, held, held.renewedUntil(now.plus(TTL)));
    } catch (RuntimeException e) {
      if (!transientError.test(e) || !now.plus(RETRY_EVERY).isBefore(held.expires())) {
        throw e;
      }
      renewAt = now.plus(RETRY_EVERY);
      return;
    }
    if (renewed.isEmpty()) {
      String holder = store.current(stack).map(LeaseRecord::holder).orElse("nobody");
      throw new CloudpgException("the lease of stack " + stack.name() + " was lost (now held by " + holder
          + "): nothing new is started; apply again once the other run is over");
    }
    held = renewed.get();
    renewAt = now.plus(RENEW_EVERY);
  }

  @Override
  public void close() {
    try {
      store.release(stack, held);
    } catch (RuntimeException e) {
      listener.onEvent(ProvisioningEvent.ofRun(Type.NOTE, time.now(), Duration.ZERO, "could not release the lease "
          + "of stack " + stack.name() + " (" + e.getMessage() + "); it expires by itself at " + held.expires()));
    }
  }
}
