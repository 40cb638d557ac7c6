package dev.cloudpg.aws.internal;

import dev.cloudpg.DatabaseOutputs;
import dev.cloudpg.spi.Outputs;
import java.util.Optional;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;

/** Reads an existing Aurora cluster by identifier, whoever made it. */
public final class ClusterLookup {
  private ClusterLookup() {}

  /** The cluster's endpoints, port and secret reference, or empty when there is no such cluster. */
  public static Optional<DatabaseOutputs> find(AwsContext aws, String clusterId) {
    try {
      Optional<DBCluster> cluster = aws.rds().describeDBClusters(b -> b.dbClusterIdentifier(clusterId)).dbClusters()
          .stream().findFirst();
      return cluster.filter(c -> c.endpoint() != null).map(c -> AwsProvider.databaseOutputs(Outputs.builder()
          .put("clusterId", c.dbClusterIdentifier()).put("arn", c.dbClusterArn())
          .put("resourceId", c.dbClusterResourceId()).put("writerEndpoint", c.endpoint())
          .put("readerEndpoint", c.readerEndpoint()).put("port", c.port()).put("engineVersion", c.engineVersion())
          .put("secretArn", c.masterUserSecret() == null ? null : c.masterUserSecret().secretArn()).build()));
    } catch (DbClusterNotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw AwsErrors.translate(e);
    }
  }
}
