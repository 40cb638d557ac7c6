package dev.cloudpg.aws.internal;

import dev.cloudpg.DatabaseOutputs;
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
      return cluster.filter(c -> c.endpoint() != null)
          .map(c -> AwsOutputs.database(AuroraClusterResource.outputs(c)));
    } catch (DbClusterNotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw AwsErrors.translate(e);
    }
  }
}
