package dev.cloudpg.aws;

import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.StackLockedException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One apply of {@link AwsLeaseIT#stack} in a JVM of its own, for the test that starts two at once: prints
 * {@code applied} or {@code locked by <holder>}, then {@code waited for <holder>} when the run had to wait.
 * Arguments: endpoint, region, stack name, application VPC, and {@code hang} to stop the run after its first
 * change has started (its listener never returns, the lease is renewed all the while) and print {@code hanging},
 * for the test that kills such a holder.
 */
public final class LeaseRaceMain {
  private LeaseRaceMain() {}

  public static void main(String[] args) {
    List<ProvisioningEvent> events = Collections.synchronizedList(new ArrayList<>());
    boolean hang = args.length > 4 && args[4].equals("hang");
    try (AwsCloud cloud = AwsCloud.builder().region(args[1]).endpointOverride(URI.create(args[0]))
        .credentialsProvider(MotoClouds.CREDENTIALS).waitPolicy(MotoClouds.FAST).build()) {
      try {
        cloud.apply(AwsLeaseIT.stack(args[2], args[3]), e -> {
          events.add(e);
          if (hang && e.type() == ProvisioningEvent.Type.COMPLETED && e.resource().isPresent()) {
            System.out.println("hanging");
            System.out.flush();
            hangForever();
          }
        });
        System.out.println("applied");
      } catch (StackLockedException e) {
        System.out.println("locked by " + e.holder());
      }
    }
    events.stream().filter(e -> e.type() == ProvisioningEvent.Type.WAITING && e.resource().isEmpty())
        .forEach(e -> System.out.println("waited: " + e.message()));
  }

  private static void hangForever() {
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        // keep hanging: only a kill ends this process
      }
    }
  }
}
