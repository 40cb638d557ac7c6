/**
 * cloudpg on Azure: {@link dev.cloudpg.azure.AzureCloud}, the AKS platform for CloudNativePG with its PostgreSQL
 * cluster, VNets and VNet peering, with {@link dev.cloudpg.azure.AksOptions} for the AKS and CloudNativePG settings.
 */
package dev.cloudpg.azure;
