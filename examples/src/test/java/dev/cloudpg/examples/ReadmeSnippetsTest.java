package dev.cloudpg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every Java snippet of the README is a region of a compiled source file, and the testing one runs. */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern SNIPPET = Pattern.compile(
      "<!-- snippet: ([^#]+)#([\\w-]+) -->\\n```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void readme_whenItShowsJava_showsOnlyRegionsOfCompiledSources() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int javaBlocks = count(readme, "```java\n");
    Matcher m = SNIPPET.matcher(readme);
    List<String> checked = new ArrayList<>();
    while (m.find()) {
      String region = region(ROOT.resolve(m.group(1)), m.group(2));
      assertThat(m.group(3)).as("README snippet %s#%s", m.group(1), m.group(2)).isEqualTo(region);
      checked.add(m.group(2));
    }
    assertThat(checked).as("every java block of the README names its source").hasSize(javaBlocks)
        .contains("api", "aws", "azure", "mst", "testing");
    // The consumer project of .ci/consumer-check runs the same testing snippet through the BOM.
    assertThat(region(ROOT.resolve("bom/src/it/consumer/src/test/java/com/example/consumer/ConsumerTest.java"),
        "testing")).isEqualTo(region(ROOT.resolve("examples/src/test/java/dev/cloudpg/examples/ReadmeSnippets.java"),
            "testing"));
  }

  @Test
  void testingSnippet_whenRun_passes() {
    Stack stack = Stack.builder().name("shop")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name("orders").network("db").instances(2).build())
        .addPeerings(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc("vpc-0a11")).build())
        .build();
    ReadmeSnippets.testing(stack);
  }

  /** The lines between {@code // snippet:NAME} and {@code // end:NAME}, less their common indentation. */
  static String region(Path file, String name) throws IOException {
    List<String> lines = Files.readAllLines(file);
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals("// snippet:" + name)) {
        start = i + 1;
      } else if (lines.get(i).trim().equals("// end:" + name)) {
        end = i;
      }
    }
    assertThat(start).as("// snippet:%s in %s", name, file).isPositive();
    assertThat(end).as("// end:%s in %s", name, file).isGreaterThan(start);
    List<String> region = lines.subList(start, end);
    int indent = region.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
        .min().orElse(0);
    StringBuilder out = new StringBuilder();
    region.forEach(l -> out.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
    return out.toString();
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
