package dev.cloudpg.mst.internal;

import dev.cloudpg.Secret;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A client secret of an application. Graph returns the value only when it is created. */
public record EntraPassword(UUID keyId, Secret secret, OffsetDateTime expires) {}
