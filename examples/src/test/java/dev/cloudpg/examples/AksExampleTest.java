package dev.cloudpg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AksExampleTest {

  @Test
  void run_whenFakeWithRequestLog_appliesDestroysAndLogsTheAksRequest(@TempDir Path log) throws IOException {
    String[] args = {"aks", "--fake", "--time-scale", "1000", "--request-log", log.toString(), "--destroy"};

    assertThat(Examples.execute(args)).isZero();

    List<Path> files;
    try (Stream<Path> listing = Files.list(log)) {
      files = listing.filter(f -> f.getFileName().toString().matches("\\d+-PUT-managedClusters-aks-pg\\.json"))
          .toList();
    }
    assertThat(files).hasSize(1);
    assertThat(Files.readString(files.get(0))).contains("\"networkPluginMode\" : \"overlay\"",
        "\"networkDataplane\" : \"cilium\"", "\"authorizedIPRanges\" : [ \"203.0.113.7/32\" ]");
    try (Stream<Path> listing = Files.list(log)) {
      assertThat(listing.map(f -> f.getFileName().toString()))
          .anyMatch(name -> name.matches("\\d+-DELETE-resourcegroups-rg-pg\\.json"));
    }
  }
}
