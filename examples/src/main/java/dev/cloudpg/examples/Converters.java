package dev.cloudpg.examples;

import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Network;
import dev.cloudpg.Violation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks of option values, so that a bad value is refused with the option's name before anything runs. picocli
 * reports each as {@code Invalid value for option '--x': <the message here>}.
 */
final class Converters {
  private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
  private static final Pattern GUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Converters() {}

  /** An absolute http or https URL with a host, such as an emulator's {@code http://127.0.0.1:5000}. */
  static final class HttpUrl implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      URI uri;
      try {
        uri = new URI(value);
      } catch (URISyntaxException e) {
        throw new TypeConversionException("'" + value + "' is not a URL (" + e.getReason() + ")");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new TypeConversionException("'" + value + "' is not an http or https URL such as "
            + "http://127.0.0.1:5000");
      }
      return uri;
    }
  }

  /** A finite number above zero. */
  static final class PositiveNumber implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double d;
      try {
        d = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a number");
      }
      if (!(d > 0) || Double.isInfinite(d)) {
        throw new TypeConversionException("'" + value + "' is not a number above 0");
      }
      return d;
    }
  }

  /** A count of database instances: 1 to 16, as {@code PostgresCluster.instances} allows. */
  static final class InstanceCount implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n;
      try {
        n = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a whole number");
      }
      if (n < 1 || n > 16) {
        throw new TypeConversionException("'" + value + "' is not between 1 and 16 (a writer and up to 15 readers)");
      }
      return n;
    }
  }

  /** An IPv4 block in CIDR notation, any prefix length. */
  static final class Cidr implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      Matcher m = CIDR.matcher(value);
      boolean ok = m.matches() && Integer.parseInt(m.group(5)) <= 32;
      for (int i = 1; ok && i <= 4; i++) {
        ok = Integer.parseInt(m.group(i)) <= 255;
      }
      if (!ok) {
        throw new TypeConversionException("'" + value + "' is not an IPv4 CIDR block such as 10.1.0.0/16");
      }
      return value;
    }
  }

  /** The block of a stack's {@link Network}: a CIDR block that the network spec accepts. */
  static final class NetworkCidr implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      new Cidr().convert(value);
      try {
        Network.builder().name("n").cidr(value).build();
      } catch (InvalidSpecException e) {
        Violation v = e.violations().get(0);
        throw new TypeConversionException("'" + value + "' " + v.problem());
      }
      return value;
    }
  }

  /** A GUID, the form of Azure subscription and application ids. */
  static final class Guid implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!GUID.matcher(value).matches()) {
        throw new TypeConversionException("'" + value + "' is not a GUID such as "
            + "00000000-0000-0000-0000-000000000000");
      }
      return value;
    }
  }
}
