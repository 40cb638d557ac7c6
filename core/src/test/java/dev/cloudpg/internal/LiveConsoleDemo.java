package dev.cloudpg.internal;

import dev.cloudpg.ChangeAction;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningEvent.Type;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.ResourceKey;
import java.time.Duration;
import java.time.Instant;

/** A run's events on real time, sent to {@code ProvisioningListener.console()}, for the test under tmux. */
public final class LiveConsoleDemo {
  private LiveConsoleDemo() {}

  public static void main(String[] args) throws InterruptedException {
    ProvisioningListener console = ProvisioningListener.console();
    ResourceKey vpc = ResourceKey.of("demo", "vpc", "db");
    ResourceKey cluster = ResourceKey.of("demo", "cluster", "orders");
    Instant start = Instant.now();
    console.onEvent(ProvisioningEvent.ofRun(Type.RUN_STARTED, start, Duration.ZERO, "apply of stack demo: 2 steps"));
    console.onEvent(ProvisioningEvent.of(Type.STARTED, vpc, ChangeAction.CREATE, Instant.now(), Duration.ZERO,
        "creating"));
    console.onEvent(ProvisioningEvent.of(Type.STARTED, cluster, ChangeAction.CREATE, Instant.now(), Duration.ZERO,
        "creating"));
    console.onEvent(ProvisioningEvent.of(Type.WAITING, cluster, ChangeAction.CREATE, Instant.now(), Duration.ZERO,
        "waiting until ready: creating"));
    Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "2500"));
    console.onEvent(ProvisioningEvent.of(Type.COMPLETED, vpc, ChangeAction.CREATE, Instant.now(), Duration.ZERO,
        "created in 2.5s"));
    Thread.sleep(300);
    console.onEvent(ProvisioningEvent.of(Type.COMPLETED, cluster, ChangeAction.CREATE, Instant.now(), Duration.ZERO,
        "created in 2.8s"));
    console.onEvent(ProvisioningEvent.ofRun(Type.RUN_FINISHED, Instant.now(), Duration.between(start, Instant.now()),
        "apply of stack demo finished: 2 done, 0 skipped"));
    System.out.println("demo over");
  }
}
