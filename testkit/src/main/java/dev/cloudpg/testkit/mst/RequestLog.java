package dev.cloudpg.testkit.mst;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A fake's log of answered requests, kept in order and written as JSON lines for a failed test's report. */
final class RequestLog<T> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<T> entries = new ArrayList<>();

  synchronized void add(T entry) {
    entries.add(entry);
  }

  synchronized List<T> snapshot() {
    return List.copyOf(entries);
  }

  /** Writes {@code dir/fileName}, one JSON object a line, creating {@code dir} if needed. */
  Path write(Path dir, String fileName) {
    try {
      Files.createDirectories(dir);
      List<String> lines = new ArrayList<>();
      for (T entry : snapshot()) {
        lines.add(JSON.writeValueAsString(entry));
      }
      return Files.write(dir.resolve(fileName), lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the request log to " + dir, e);
    }
  }
}
