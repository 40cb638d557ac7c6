package dev.cloudpg.internal;

import dev.cloudpg.ApplyOptions;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.CloudpgException;
import dev.cloudpg.ConflictException;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningEvent.Type;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.WaitTimedOutException;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.Retry;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The work of one node, as a series of calls for the {@link Scheduler}: a read while planning; while applying, the
 * call that starts a change, then checks on the resource's wait policy until it is done. A failed call is retried
 * after a backoff as the provider classifies it ({@link Retry}); a create is retried only after a read found nothing,
 * so a request whose answer was lost is never resent blindly. Holds the progress of one run, never across runs.
 */
final class StepJob implements Scheduler.Job {
  private static final double RETRY_JITTER = 0.25;

  private enum Phase { READ, START, CHECK }

  private final Engine engine;
  private final ResourceKey key;
  private final Resource resource;
  private final ChangeAction action;
  private final Optional<Observed> current;
  private final Engine.Context ctx;
  private final ApplyOptions options;
  private final ProvisioningListener listener;
  private final Consumer<Outputs> onDone;
  private final Runnable read;
  private final WaitPolicy policy;
  private final TimeSource time;

  private Phase phase;
  private int failures;
  private Instant firstPropagationFailure;
  private Instant stepStart;
  private Outputs started = Outputs.empty();
  private Instant waitStart;
  private Duration delay;
  private int polls;
  private String lastState;

  private StepJob(Engine engine, ResourceKey key, Resource resource, ChangeAction action, Optional<Observed> current,
      Engine.Context ctx, ApplyOptions options, ProvisioningListener listener, Consumer<Outputs> onDone,
      Runnable read) {
    this.engine = engine;
    this.key = key;
    this.resource = resource;
    this.action = action;
    this.current = current;
    this.ctx = ctx;
    this.options = options;
    this.listener = listener;
    this.onDone = onDone;
    this.read = read;
    this.time = engine.time();
    this.phase = action == null ? Phase.READ : Phase.START;
    WaitPolicy own = resource == null ? WaitPolicy.DEFAULT : resource.waitPolicy();
    this.policy = options.waitTimeout().filter(t -> t.compareTo(own.timeout()) < 0).map(own::withTimeout)
        .orElse(own);
  }

  /** A read while planning; transient failures are retried and reported to {@code listener}. */
  static StepJob read(Engine engine, Resource resource, Engine.Context ctx, ApplyOptions options,
      Consumer<Optional<Observed>> onRead) {
    return new StepJob(engine, resource.key(), resource, null, Optional.empty(), ctx, options, ctx.listener(),
        o -> {}, () -> onRead.accept(resource.read(ctx)));
  }

  /** A read of the cloud that is not a resource's (a discovery), named {@code key} in events. */
  static StepJob call(Engine engine, ResourceKey key, Runnable call, ApplyOptions options,
      ProvisioningListener listener) {
    return new StepJob(engine, key, null, null, Optional.empty(), null, options, listener, o -> {}, call);
  }

  /** A create, update or delete, from its start to its end. */
  static StepJob change(Engine engine, Resource resource, ChangeAction action, Optional<Observed> current,
      Engine.Context ctx, ApplyOptions options, ProvisioningListener listener, Consumer<Outputs> onDone) {
    return new StepJob(engine, resource.key(), resource, action, current, ctx, options, listener, onDone, null);
  }

  @Override
  public Optional<Duration> step() {
    if (phase == Phase.READ) {
      try {
        read.run();
        return Optional.empty();
      } catch (RuntimeException e) {
        return retryOrFail(e, true);
      }
    }
    if (phase == Phase.START) {
      if (stepStart == null) {
        stepStart = time.now();
        emit(Type.STARTED, Duration.ZERO, verb(false));
      }
      try {
        started = start();
      } catch (RuntimeException e) {
        return retryOrFail(e, false);
      }
      phase = Phase.CHECK;
      waitStart = time.now();
      delay = policy.initialDelay();
    }
    return check();
  }

  private Outputs start() {
    switch (action) {
      case CREATE:
      case REPLACE:
        if (failures > 0) {
          // The failed attempt may have reached the cloud (a reset, a timeout, a 5xx): look before sending again.
          Optional<Observed> seen = resource.read(ctx);
          boolean theOldOne = action == ChangeAction.REPLACE && seen.isPresent()
              && current.map(Observed::outputs).equals(Optional.of(seen.get().outputs()));
          if (theOldOne) {
            seen = resource.readReplacement(ctx, current.orElseThrow());
            theOldOne = false;
          }
          if (seen.isPresent() && !theOldOne) {
            if (!seen.get().owned()) {
              throw new ConflictException(key + " appeared while being created and is not owned by stack "
                  + ctx.stack().name() + ": " + seen.get().description());
            }
            ctx.note("found what the failed attempt made; using it instead of creating another");
            return seen.get().outputs();
          }
        }
        return resource.create(ctx);
      case UPDATE: {
        Observed observed = current.orElseThrow();
        return resource.update(ctx, observed, Engine.diff(resource.desired(), observed));
      }
      case DELETE:
        resource.delete(ctx, current.orElseThrow());
        return Outputs.empty();
      default:
        throw new IllegalStateException(action.toString());
    }
  }

  private Optional<Duration> check() {
    Probe<?> probe;
    try {
      probe = action == ChangeAction.DELETE ? resource.checkDeleted(ctx, current.orElseThrow())
          : resource.checkReady(ctx, started);
    } catch (RuntimeException e) {
      RuntimeException translated = engine.provider().translate(e);
      if (engine.provider().retry(translated).isNever()) {
        throw failed(translated);
      }
      // A throttled or briefly failing check is one more pending poll, bounded by the wait's timeout.
      probe = Probe.pending("check failed transiently (" + translated.getMessage() + ")");
    }
    Duration waited = Duration.between(waitStart, time.now());
    if (probe.isDone()) {
      Outputs result = probe.value().filter(Outputs.class::isInstance).map(Outputs.class::cast).orElse(started);
      onDone.accept(result);
      Duration took = Duration.between(stepStart, time.now());
      emit(Type.COMPLETED, took, verb(true) + " in " + Durations.format(took));
      return Optional.empty();
    }
    if (probe.isFailed()) {
      throw failed(new CloudpgException(key + ": " + probe.state()));
    }
    if (!probe.state().equals(lastState)) {
      lastState = probe.state();
      emit(Type.WAITING, waited, "waiting until " + awaited() + ": " + probe.state());
    }
    if (waited.compareTo(policy.timeout()) >= 0) {
      throw failed(new WaitTimedOutException(key, awaited(), waited, lastState));
    }
    Duration next = jittered(delay, policy.jitter(), polls++);
    Duration left = policy.timeout().minus(waited);
    Duration grown = Duration.ofNanos((long) (delay.toNanos() * policy.multiplier()));
    delay = grown.compareTo(policy.maxDelay()) < 0 ? grown : policy.maxDelay();
    return Optional.of(next.compareTo(left) < 0 ? next : left);
  }

  private Optional<Duration> retryOrFail(RuntimeException e, boolean planning) {
    RuntimeException translated = engine.provider().translate(e);
    Retry retry = engine.provider().retry(translated);
    failures++;
    boolean again;
    if (retry.isTransient()) {
      again = failures < options.maxAttempts();
    } else if (retry.isPropagation() && !planning) {
      if (firstPropagationFailure == null) {
        firstPropagationFailure = time.now();
      }
      Duration refusedFor = Duration.between(firstPropagationFailure, time.now());
      if (refusedFor.compareTo(retry.patience()) >= 0) {
        throw failed(new CloudpgException(key + ": " + translated.getMessage() + ", still after "
            + Durations.format(refusedFor) + ", longer than the cloud takes to propagate a change: check the"
            + " permissions", translated));
      }
      again = true;
    } else {
      again = false;
    }
    if (!again) {
      throw planning ? translated : failed(translated);
    }
    Duration backoff = options.retryDelay().multipliedBy(1L << Math.min(failures - 1, 20));
    if (backoff.compareTo(options.maxRetryDelay()) > 0) {
      backoff = options.maxRetryDelay();
    }
    Duration next = jittered(backoff, RETRY_JITTER, failures);
    listener.onEvent(ProvisioningEvent.of(Type.RETRYING, key, action, time.now(), Duration.ZERO,
        (planning ? "read " : "attempt ") + failures + " failed (" + translated.getMessage() + "); retrying in "
            + Durations.format(next)));
    return Optional.of(next);
  }

  /** Reports a failure of the step and returns it to be thrown. */
  private RuntimeException failed(RuntimeException e) {
    if (action != null) {
      emit(Type.FAILED, stepStart == null ? Duration.ZERO : Duration.between(stepStart, time.now()),
          String.valueOf(e.getMessage()));
    }
    return e;
  }

  /**
   * {@code base} spread by {@code ±jitter}, decided by the resource's key and the poll's number: polls of different
   * resources spread out, and a run repeats exactly.
   */
  private Duration jittered(Duration base, double jitter, int n) {
    double u = new SplittableRandom(key.toString().hashCode() * 1_000_003L + n).nextDouble();
    return Duration.ofNanos((long) (base.toNanos() * (1 + jitter * (2 * u - 1))));
  }

  private String awaited() {
    return action == ChangeAction.DELETE ? "deleted" : "ready";
  }

  private void emit(Type type, Duration elapsed, String message) {
    listener.onEvent(ProvisioningEvent.of(type, key, action, time.now(), elapsed, message));
  }

  private String verb(boolean past) {
    switch (action) {
      case CREATE:
        return past ? "created" : "creating";
      case UPDATE:
        return past ? "updated" : "updating";
      case REPLACE:
        return past ? "made the replacement" : "making the replacement";
      case DELETE:
        return past ? "deleted" : "deleting";
      default:
        return past ? "unchanged" : "checking";
    }
  }
}
