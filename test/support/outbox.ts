// The mail outbox as tests drive it: rather than wait out the backoff (a minute after the first failure,
// two after the second), a test moves the retry that is owed to now, as if that time had passed; the
// outbox job then picks it up.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../../shared/aws/dynamo.js';
import { config } from '../../shared/config.js';
import { getOutboxItem, outboxKeys } from '../../shared/store/outbox.js';

export async function timePassesUntilRetry(outboxId: string): Promise<void> {
  const item = await getOutboxItem(outboxId);
  if (!item?.nextAttemptAt) throw new Error(`no retry owed for ${outboxId}: ${JSON.stringify(item)}`);
  const now = new Date(Date.now() - 1000).toISOString();
  await dynamoClient().send(
    new UpdateCommand({
      TableName: config.tableName,
      Key: outboxKeys.item(outboxId),
      UpdateExpression: 'SET nextAttemptAt = :now, gsi2sk = :due',
      ConditionExpression: 'attempts = :attempts AND attribute_exists(gsi2pk)',
      ExpressionAttributeValues: { ':now': now, ':due': outboxKeys.dueAt(now, outboxId), ':attempts': item.attempts },
    }),
  );
}
