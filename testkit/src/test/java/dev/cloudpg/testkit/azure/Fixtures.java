package dev.cloudpg.testkit.azure;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Release manifests of other projects that tests apply but the repository does not carry: they lie in the folder named
 * by the system property or environment variable {@code CLOUDPG_FIXTURES}, else in {@code shared/fixtures} beside the
 * repository. A test whose file is not there is skipped, saying where it looked.
 */
final class Fixtures {
  static final String PROPERTY = "CLOUDPG_FIXTURES";

  private Fixtures() {
  }

  static Path folder() {
    String given = System.getProperty(PROPERTY);
    if (given == null || given.isBlank()) {
      given = System.getenv(PROPERTY);
    }
    // tests run in the module's folder, one below the repository's root
    Path folder = given == null || given.isBlank() ? Path.of("..", "..", "shared", "fixtures") : Path.of(given);
    return folder.toAbsolutePath().normalize();
  }

  /** The fixture {@code name}, or the test is skipped. */
  static Path require(String name) {
    Path file = folder().resolve(name);
    Assumptions.assumeTrue(Files.isRegularFile(file), () -> "the fixture " + name + " is not in " + folder()
        + " (set " + PROPERTY + " to the folder that has it)");
    return file;
  }
}
