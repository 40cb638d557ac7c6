/**
 * What a module that adds its own resources to Azure through cloudpg-azure may use: {@link
 * dev.cloudpg.azure.spi.AzureSession}, the signed-in side of an {@link dev.cloudpg.azure.AzureCloud}, with the
 * failure classification and the resources it shares. cloudpg-mst peers MST's VNet with the user's through it.
 * Everything else of cloudpg-azure outside {@code dev.cloudpg.azure} is internal and changes without notice.
 */
package dev.cloudpg.azure.spi;
