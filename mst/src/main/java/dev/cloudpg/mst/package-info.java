/**
 * cloudpg on Managed Service for TimescaleDB (MST, run on Aiven) with private peering to Azure:
 * {@link dev.cloudpg.mst.MstCloud} provisions a stack's project VPC, TimescaleDB services and VNet peerings, the last
 * through the whole peering procedure on both Aiven and Azure (Entra ID application and service principals, roles on
 * the VNet, Aiven's peering connection, the VNet peering to MST's VNet). {@link dev.cloudpg.mst.MstOptions} sets a
 * service's plan and name; {@link dev.cloudpg.mst.ApplicationCredentials} says how to sign in as the peering's
 * application.
 */
package dev.cloudpg.mst;
