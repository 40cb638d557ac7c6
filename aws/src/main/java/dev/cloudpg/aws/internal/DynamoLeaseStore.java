package dev.cloudpg.aws.internal;

import dev.cloudpg.ProviderException;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.LeaseRecord;
import dev.cloudpg.spi.LeaseStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.Tag;

/**
 * The stacks' leases in a DynamoDB table of the stack's region, {@value #TABLE}, one item per stack keyed by its
 * name, written only with conditions: a create with {@code attribute_not_exists}, a replace and a delete on the
 * stored {@code version} (a new random one at every write). So two runs never both take a lease, on any number of
 * machines, and an answer lost after a write took effect is recognised by its version when the write is tried again.
 *
 * <p>The table is made on first use (on-demand billing, so it costs nothing while idle), and never deleted: it is not
 * a resource of any stack, carries no {@code cloudpg:stack} tag, and discovery never lists it. A plan only reads
 * ({@link #current}) and makes nothing. Thread-safe.
 */
final class DynamoLeaseStore implements LeaseStore {
  /** The table of every stack's lease in a region. */
  static final String TABLE = "cloudpg-leases";
  static final String STACK = "stack";
  private static final String HOLDER = "holder";
  private static final String RUN = "run";
  private static final String SINCE = "since";
  private static final String EXPIRES = "expires";
  private static final String VERSION = "version";

  private final AwsContext aws;
  /** Whether this process has seen the table active; only saves a call, the conditions do the locking. */
  private final AtomicBoolean tableReady = new AtomicBoolean();

  DynamoLeaseStore(AwsContext aws) {
    this.aws = aws;
  }

  private DynamoDbClient dynamo() {
    return aws.dynamo();
  }

  private static Map<String, AttributeValue> key(Stack stack) {
    return Map.of(STACK, s(stack.name()));
  }

  private static AttributeValue s(String value) {
    return AttributeValue.builder().s(value).build();
  }

  private static Map<String, AttributeValue> item(Stack stack, LeaseRecord r, String version) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put(STACK, s(stack.name()));
    item.put(HOLDER, s(r.holder()));
    item.put(RUN, s(r.run()));
    item.put(SINCE, s(r.since().toString()));
    item.put(EXPIRES, s(r.expires().toString()));
    item.put(VERSION, s(version));
    return item;
  }

  private static LeaseRecord record(Map<String, AttributeValue> item) {
    return new LeaseRecord(item.get(HOLDER).s(), item.get(RUN).s(), Instant.parse(item.get(SINCE).s()),
        Instant.parse(item.get(EXPIRES).s()), item.get(VERSION).s());
  }

  @Override
  public Optional<LeaseRecord> current(Stack stack) {
    try {
      Map<String, AttributeValue> item = dynamo().getItem(b -> b.tableName(TABLE).key(key(stack))
          .consistentRead(true)).item();
      return item == null || item.isEmpty() ? Optional.empty() : Optional.of(record(item));
    } catch (ResourceNotFoundException e) {
      return Optional.empty(); // no table: no lease was ever taken in this region
    }
  }

  @Override
  public LeaseRecord acquire(Stack stack, LeaseRecord wanted) {
    ensureTable();
    String version = UUID.randomUUID().toString();
    try {
      dynamo().putItem(b -> b.tableName(TABLE).item(item(stack, wanted, version))
          .conditionExpression("attribute_not_exists(#k)").expressionAttributeNames(Map.of("#k", STACK)));
      return wanted.withVersion(version);
    } catch (ConditionalCheckFailedException e) {
      // someone holds it, or our own write took effect and its answer was lost: the stored run says which
      return current(stack).orElseThrow(() -> leaseMoved(stack));
    } catch (ResourceNotFoundException e) {
      tableReady.set(false);
      throw tableNotReady(e.getMessage());
    }
  }

  @Override
  public Optional<LeaseRecord> replace(Stack stack, LeaseRecord expected, LeaseRecord next) {
    String version = UUID.randomUUID().toString();
    try {
      dynamo().putItem(b -> b.tableName(TABLE).item(item(stack, next, version))
          .conditionExpression("#v = :expected").expressionAttributeNames(Map.of("#v", VERSION))
          .expressionAttributeValues(Map.of(":expected", s(expected.version()))));
      return Optional.of(next.withVersion(version));
    } catch (ConditionalCheckFailedException e) {
      // our write may have taken effect and lost its answer: then the stored version is the one we chose
      return current(stack).filter(r -> r.version().equals(version));
    }
  }

  @Override
  public void release(Stack stack, LeaseRecord held) {
    try {
      dynamo().deleteItem(b -> b.tableName(TABLE).key(key(stack)).conditionExpression("#v = :held")
          .expressionAttributeNames(Map.of("#v", VERSION))
          .expressionAttributeValues(Map.of(":held", s(held.version()))));
    } catch (ConditionalCheckFailedException | ResourceNotFoundException e) {
      // no longer ours (taken over, or already released by a delete whose answer was lost): nothing to do
    }
  }

  /**
   * Makes the table if the region has none, idempotently; when it is not yet active, fails with a transient error so
   * that the engine tries again after a while.
   */
  private void ensureTable() {
    if (tableReady.get()) {
      return;
    }
    TableStatus status;
    try {
      status = dynamo().describeTable(b -> b.tableName(TABLE)).table().tableStatus();
    } catch (ResourceNotFoundException e) {
      try {
        status = dynamo().createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(AttributeDefinition.builder().attributeName(STACK)
                .attributeType(ScalarAttributeType.S).build())
            .keySchema(KeySchemaElement.builder().attributeName(STACK).keyType(KeyType.HASH).build())
            .tags(Tag.builder().key("cloudpg:purpose").value("leases of the stacks of this region").build()))
            .tableDescription()
            .tableStatus();
      } catch (ResourceInUseException raced) {
        status = TableStatus.CREATING; // another run is making it
      }
    }
    if (status != TableStatus.ACTIVE) {
      throw tableNotReady("the lease table " + TABLE + " is " + status);
    }
    tableReady.set(true);
  }

  private static ProviderException tableNotReady(String why) {
    return new ProviderException("aws", "LeaseTableNotReady", "DynamoDB: " + why + "; trying again shortly", null, 0,
        true, null);
  }

  private static ProviderException leaseMoved(Stack stack) {
    return new ProviderException("aws", "LeaseChanged", "DynamoDB: the lease of stack " + stack.name()
        + " was released while being taken; trying again", null, 0, true, null);
  }
}
