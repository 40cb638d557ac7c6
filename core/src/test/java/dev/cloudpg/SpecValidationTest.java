package dev.cloudpg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidationTest {

  private static Network.Builder network() {
    return Network.builder().name("db").cidr("192.168.0.0/16");
  }

  private static PostgresCluster.Builder database() {
    return PostgresCluster.builder().name("kc").network("db");
  }

  private static Peering.Builder peering() {
    return Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc("vpc-0a1b"));
  }

  private static Stack.Builder stack() {
    return Stack.builder().name("s").addNetworks(network().build());
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of("uppercase name", (Supplier<?>) () -> network().name("DB").build(), "networks[DB].name", "DB"),
        Arguments.of("name too long", (Supplier<?>) () -> network().name("a".repeat(41)).build(),
            "networks[" + "a".repeat(41) + "].name", "a".repeat(41)),
        Arguments.of("name ends with hyphen", (Supplier<?>) () -> database().name("kc-").build(),
            "databases[kc-].name", "kc-"),
        Arguments.of("prefix out of range", (Supplier<?>) () -> network().cidr("192.168.0.0/33").build(),
            "networks[db].cidr", "192.168.0.0/33"),
        Arguments.of("octet out of range", (Supplier<?>) () -> network().cidr("300.1.0.0/16").build(),
            "networks[db].cidr", "300.1.0.0/16"),
        Arguments.of("block too large", (Supplier<?>) () -> network().cidr("10.0.0.0/8").build(),
            "networks[db].cidr", "10.0.0.0/8"),
        Arguments.of("block too small", (Supplier<?>) () -> network().cidr("10.0.0.0/29").build(),
            "networks[db].cidr", "10.0.0.0/29"),
        Arguments.of("host bits set", (Supplier<?>) () -> network().cidr("192.168.1.0/16").build(),
            "networks[db].cidr", "192.168.1.0/16"),
        Arguments.of("no zones", (Supplier<?>) () -> network().zones(0).build(), "networks[db].zones", "0"),
        Arguments.of("instances zero", (Supplier<?>) () -> database().instances(0).build(),
            "databases[kc].instances", "0"),
        Arguments.of("instances too many", (Supplier<?>) () -> database().instances(17).build(),
            "databases[kc].instances", "17"),
        Arguments.of("port zero", (Supplier<?>) () -> database().port(0).build(), "databases[kc].port", "0"),
        Arguments.of("port too high", (Supplier<?>) () -> peering().allowPort(70000).build(),
            "peerings[app].allowPort", "70000"),
        Arguments.of("version format", (Supplier<?>) () -> database().version("sixteen").build(),
            "databases[kc].version", "sixteen"),
        Arguments.of("database name", (Supplier<?>) () -> database().databaseName("Key-Cloak").build(),
            "databases[kc].databaseName", "Key-Cloak"),
        Arguments.of("short password", (Supplier<?>) () -> database().masterPassword(Secret.of("short")).build(),
            "databases[kc].masterPassword", "****"),
        Arguments.of("backup retention", (Supplier<?>) () -> database().backupRetentionDays(36).build(),
            "databases[kc].backupRetentionDays", "36"),
        Arguments.of("reserved tag", (Supplier<?>) () -> network().putTags("cloudpg:stack", "x").build(),
            "networks[db].tags[cloudpg:stack]", "cloudpg:stack"),
        Arguments.of("bad vpc id", (Supplier<?>) () -> PeerNetwork.awsVpc("vpc_123"), "peer.reference", "vpc_123"),
        Arguments.of("database names unknown network", (Supplier<?>) () -> stack()
            .addDatabases(database().network("nope").build()).build(), "databases[kc].network", "nope"),
        Arguments.of("peering names unknown network", (Supplier<?>) () -> stack()
            .addPeerings(peering().network("nope").build()).build(), "peerings[app].network", "nope"),
        Arguments.of("networks overlap", (Supplier<?>) () -> stack()
            .addNetworks(network().name("other").cidr("192.168.128.0/17").build()).build(),
            "networks[other].cidr", "192.168.128.0/17"),
        Arguments.of("peer CIDR overlaps", (Supplier<?>) () -> stack().addPeerings(peering()
            .peer(PeerNetwork.awsVpc("vpc-0a1b").withCidrs("192.168.10.0/24")).build()).build(),
            "peerings[app].peer.cidrs[0]", "192.168.10.0/24"),
        Arguments.of("duplicate network names", (Supplier<?>) () -> stack().addNetworks(network()
            .cidr("10.0.0.0/16").build()).build(), "networks[db].name", "db"),
        Arguments.of("stack name too long", (Supplier<?>) () -> stack().name("s".repeat(31)).build(), "name",
            "s".repeat(31)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void build_whenSpecBreaksARule_throwsWithFieldPathAndValue(String label, Supplier<?> build, String path,
      String value) {
    assertThatThrownBy(build::get)
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
          assertThat(e.violations()).anySatisfy(v -> {
            assertThat(v.path()).isEqualTo(path);
            assertThat(v.value()).isEqualTo(value);
          });
          assertThat(e.getMessage()).contains(path).contains(value);
        });
  }

  @Test
  void build_whenSeveralRulesBroken_reportsAllAtOnce() {
    assertThatThrownBy(() -> Network.builder().name("Bad_Name").cidr("1.2.3.4/40").zones(9).build())
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
            .extracting(Violation::path)
            .containsExactly("networks[Bad_Name].name", "networks[Bad_Name].cidr", "networks[Bad_Name].zones"));
  }

  @Test
  void build_whenValid_appliesDefaults() {
    PostgresCluster db = database().build();
    assertThat(db.version()).isEqualTo("16");
    assertThat(db.instances()).isEqualTo(2);
    assertThat(db.port()).isEqualTo(5432);
    assertThat(db.deletionProtection()).isTrue();
    assertThat(db.masterPassword()).isEmpty();
    assertThat(peering().build().allowPort()).isEqualTo(5432);
    assertThat(network().build().zones()).isEqualTo(2);
  }

  @Test
  void with_whenCopying_validatesAndKeepsTheOriginal() {
    Network n = network().build();
    assertThat(n.withZones(3).zones()).isEqualTo(3);
    assertThat(n.zones()).isEqualTo(2);
    assertThatThrownBy(() -> n.withCidr("nope")).isInstanceOf(InvalidSpecException.class);
  }

  @Test
  void toString_whenSpecHoldsAPassword_neverShowsIt() {
    String password = "correct-horse-battery";
    PostgresCluster db = database().masterPassword(Secret.of(password)).build();
    Stack s = stack().addDatabases(db).build();
    assertThat(db.toString()).doesNotContain(password).contains("****");
    assertThat(s.toString()).doesNotContain(password);
    assertThat(db.masterPassword().orElseThrow().reveal()).isEqualTo(password);
  }
}
