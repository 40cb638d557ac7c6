/**
 * cloudpg's provider-neutral API: immutable specs ({@link dev.cloudpg.Stack}, {@link dev.cloudpg.Network},
 * {@link dev.cloudpg.PostgresCluster}, {@link dev.cloudpg.Peering}, {@link dev.cloudpg.PeerNetwork}) built with
 * {@code X.builder()}, the {@link dev.cloudpg.Cloud} that plans, applies and destroys them, the
 * {@link dev.cloudpg.Plan}, typed {@link dev.cloudpg.StackOutputs}, progress events and the exceptions.
 *
 * <p>Every spec is checked when it is built; {@link dev.cloudpg.InvalidSpecException} lists every problem with its
 * field path and value. Nothing here depends on a cloud SDK.
 */
package dev.cloudpg;
