package dev.cloudpg.internal;

import dev.cloudpg.ChangeAction;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.ResourceKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp.Capability;

/**
 * The console view on a terminal: finished steps, notes and retries scroll by as lines, while the steps in progress
 * stay at the bottom with a spinner, their elapsed time and their state, under a summary line
 * ({@code 12 done, 2 running, 0 failed, 4m10s}). Redrawn on every event and ten times a second while a run lasts.
 * Times are the events' (simulated on a fake); on a real clock they are carried forward between events.
 */
final class LiveConsole implements ProvisioningListener {
  private static final String[] UNICODE_FRAMES = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
  private static final String[] ASCII_FRAMES = {"|", "/", "-", "\\"};
  private static final Duration REAL_CLOCK_SLACK = Duration.ofMinutes(1);

  private record Step(ChangeAction action, Instant start, String state) {}

  private final Terminal terminal;
  private final PrintWriter out;
  private final String[] frames;
  private final Map<ResourceKey, Step> running = new LinkedHashMap<>();
  private ScheduledExecutorService ticker;
  private Instant runStart = Instant.EPOCH;
  private Instant latest = Instant.EPOCH;
  private long latestNanos;
  private boolean realClock;
  private int done;
  private int failed;
  private int drawn;
  private int frame;

  LiveConsole(Terminal terminal) {
    this.terminal = terminal;
    this.out = terminal.writer();
    this.frames = StandardCharsets.UTF_8.equals(terminal.encoding()) ? UNICODE_FRAMES : ASCII_FRAMES;
  }

  /** A live view on the process's terminal, or null when it cannot redraw (a dumb terminal). */
  static LiveConsole forSystemTerminal() {
    try {
      Terminal t = TerminalBuilder.builder().system(true).dumb(true).build();
      if (t.getType().startsWith(Terminal.TYPE_DUMB) || t.getSize().getColumns() < 20) {
        return null;
      }
      return new LiveConsole(t);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public synchronized void onEvent(ProvisioningEvent e) {
    if (e.type() == ProvisioningEvent.Type.RUN_STARTED) {
      runStart = e.at();
      latest = e.at();
      running.clear();
      done = 0;
      failed = 0;
      startTicker();
    }
    if (!e.at().isBefore(latest)) {
      latest = e.at();
      latestNanos = System.nanoTime();
      realClock = Duration.between(e.at(), Instant.now()).abs().compareTo(REAL_CLOCK_SLACK) < 0;
    }
    e.resource().ifPresent(key -> track(e, key));
    boolean scrolls = e.type() != ProvisioningEvent.Type.STARTED && e.type() != ProvisioningEvent.Type.WAITING;
    clear();
    if (scrolls) {
      out.println(fit("[" + Durations.clock(Duration.between(runStart, latest)) + "] " + LineConsole.mark(e) + " "
          + e.resource().map(r -> r + "  ").orElse("") + e.message()));
    }
    if (e.type() == ProvisioningEvent.Type.RUN_FINISHED) {
      stopTicker();
      running.clear();
    } else {
      draw();
    }
    out.flush();
  }

  private void track(ProvisioningEvent e, ResourceKey key) {
    switch (e.type()) {
      case STARTED:
        running.put(key, new Step(e.action().orElse(null), e.at(), e.message()));
        break;
      case WAITING:
        running.computeIfPresent(key, (k, s) -> new Step(s.action(), s.start(), e.message()));
        break;
      case COMPLETED:
        running.remove(key);
        done++;
        break;
      case FAILED:
        running.remove(key);
        failed++;
        break;
      default:
        break;
    }
  }

  /** Now on the run's clock: the latest event's time, carried forward on real time. */
  private Instant now() {
    return realClock ? latest.plusNanos(System.nanoTime() - latestNanos) : latest;
  }

  private synchronized void tick() {
    frame++;
    clear();
    draw();
    out.flush();
  }

  private void draw() {
    List<String> lines = new ArrayList<>();
    Instant now = now();
    int room = Math.max(1, terminal.getSize().getRows() - 3);
    String spinner = frames[frame % frames.length];
    for (Map.Entry<ResourceKey, Step> s : running.entrySet()) {
      if (lines.size() == room - 1 && running.size() > room) {
        lines.add("  ... and " + (running.size() - lines.size()) + " more");
        break;
      }
      Step step = s.getValue();
      lines.add(fit(spinner + " " + (step.action() == null ? " " : step.action().symbol()) + " " + s.getKey() + "  "
          + Durations.format(Duration.between(step.start(), now)) + "  " + step.state()));
    }
    lines.add(fit(done + " done, " + running.size() + " running, " + failed + " failed, "
        + Durations.format(Duration.between(runStart, now))));
    lines.forEach(out::println);
    drawn = lines.size();
  }

  /** Erases what {@link #draw} drew. */
  private void clear() {
    if (drawn == 0) {
      return;
    }
    for (int i = 0; i < drawn; i++) {
      terminal.puts(Capability.cursor_up);
    }
    terminal.puts(Capability.carriage_return);
    terminal.puts(Capability.clr_eos);
    drawn = 0;
  }

  /** A line cut to the terminal's width, so that no line wraps and every redraw erases exactly what it drew. */
  private String fit(String line) {
    int width = Math.max(20, terminal.getSize().getColumns()) - 1;
    return line.length() <= width ? line : line.substring(0, width - 1) + "…";
  }

  private void startTicker() {
    if (ticker == null) {
      ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cloudpg-console");
        t.setDaemon(true);
        return t;
      });
      ticker.scheduleAtFixedRate(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }
  }

  private void stopTicker() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
  }
}
