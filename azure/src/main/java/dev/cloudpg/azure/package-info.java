/**
 * The azure provider of cloudpg. See the project README for its status: this module holds no public types yet.
 */
package dev.cloudpg.azure;
