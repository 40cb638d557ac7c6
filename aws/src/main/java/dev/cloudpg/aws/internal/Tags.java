package dev.cloudpg.aws.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Tag conversions between maps and the EC2 and RDS models. The ownership tags and their test are
 * {@link dev.cloudpg.spi.Ownership}'s.
 */
final class Tags {
  static final String NAME = "Name";
  /** The tag procedure A's shell scripts use to find an Aurora cluster's VPC. */
  static final String AURORA_CLUSTER = "AuroraCluster";

  private Tags() {}

  static Map<String, String> ec2(List<Tag> tags) {
    Map<String, String> map = new LinkedHashMap<>();
    tags.forEach(t -> map.put(t.key(), t.value()));
    return map;
  }

  static Map<String, String> rds(List<software.amazon.awssdk.services.rds.model.Tag> tags) {
    Map<String, String> map = new LinkedHashMap<>();
    tags.forEach(t -> map.put(t.key(), t.value()));
    return map;
  }

  static TagSpecification spec(ResourceType type, Map<String, String> tags) {
    return TagSpecification.builder().resourceType(type)
        .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())
        .build();
  }

  static List<software.amazon.awssdk.services.rds.model.Tag> toRds(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> software.amazon.awssdk.services.rds.model.Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
  }

  static Filter filter(String name, String... values) {
    return Filter.builder().name(name).values(values).build();
  }
}
