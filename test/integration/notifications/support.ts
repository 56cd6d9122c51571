// Reply notifications as tests drive them: rather than wait out the batch window, a test moves the due time
// of a ticket's open batches to now, as if the window had ended; the scheduled job then picks them up. And
// what the job did with a batch.
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { dynamoClient } from '../../../shared/aws/dynamo.js';
import { config } from '../../../shared/config.js';
import { getBatch, notificationKeys } from '../../../shared/store/notifications.js';
import { eventually } from '../../support/eventually.js';

/** Ends the window of every open batch on the ticket; the number of batches it found. */
export async function windowEnds(ticketId: string): Promise<number> {
  const { Items = [] } = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :notify)',
      ExpressionAttributeValues: { ':pk': notificationKeys.batch(ticketId, '').pk, ':notify': 'NOTIFY#' },
      ConsistentRead: true,
    }),
  );
  const now = new Date(Date.now() - 1000).toISOString();
  for (const item of Items) {
    await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET dueAt = :now, gsi2sk = :due',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':now': now, ':due': notificationKeys.dueAt(now, ticketId, String(item.userId)) },
      }),
    );
  }
  return Items.length;
}

/**
 * What the job did with `userId`'s batch on the ticket, the first time after line `since` of `output`: `queued` (the e-mail queued and its
 * first send over), or `dropped` (nothing owed). Read from the job's own log line, printed by the gateway
 * into `output`, so a test knows when an e-mail that was never going to come has not come.
 */
export async function batchOutcome(
  output: readonly string[],
  since: number,
  ticketId: string,
  userId: string,
): Promise<string> {
  const line = await eventually(
    () =>
      output
        .slice(since)
        .map((text) => {
          try {
            return JSON.parse(text) as Record<string, unknown>;
          } catch {
            return undefined;
          }
        })
        .find((l) => l?.message === 'notification batch' && l.ticketId === ticketId && l.userId === userId),
    `the notification batch of ${userId} on ${ticketId} closed`,
    20_000,
  );
  expect(await getBatch(ticketId, userId)).toBeUndefined();
  return String(line.outcome);
}
