/**
 * cloudpg's provider-neutral API ({@code dev.cloudpg}: specs, {@code Cloud}, plans, outputs, events, exceptions) and
 * the SPI providers implement ({@code dev.cloudpg.spi}). The engine ({@code dev.cloudpg.internal}) is not exported.
 */
module dev.cloudpg.core {
  requires static org.immutables.value;
  requires static org.jline.terminal;
  requires org.slf4j;

  exports dev.cloudpg;
  exports dev.cloudpg.spi;
}
