/**
 * The mst provider, not a public API: {@link dev.cloudpg.mst.internal.MstProvider} and its resources over
 * {@link dev.cloudpg.mst.internal.AivenClient}, for the Aiven API that Managed Service for TimescaleDB runs on, and
 * {@link dev.cloudpg.mst.internal.EntraDirectory}, for the Entra ID objects an Azure VNet peering with MST needs; the
 * Azure Resource Manager steps reuse the azure module's resources. The clients turn the services' errors into
 * {@link dev.cloudpg.ProviderException}s and never put a token, password or service URI in a message or log.
 */
package dev.cloudpg.mst.internal;
