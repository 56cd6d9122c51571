// The retired mailbox's memory of whom it answered automatically, so a sender gets one reply a day.
//
// Access patterns (pattern → key/index → operation):
//   last auto-reply to a sender  pk=AUTOREPLY#<email>  sk=AUTOREPLY  conditional Put (in the reply's transaction), TTL
import { config } from '../config.js';
import { epochSeconds, type TransactItem } from './dynamo.js';
import { partitions } from './partitions.js';

export const autoReplyKeys = {
  sender: (email: string) => ({ pk: `${partitions.autoReply}${email.toLowerCase()}`, sk: 'AUTOREPLY' }),
};

/**
 * The write that records an automatic reply to `email` at `now`; it fails (condition) when one went out less
 * than `windowSeconds` ago. Part of the transaction that queues the reply, so a sender gets at most one.
 */
export function autoReplyItem(email: string, now: Date, windowSeconds: number): TransactItem {
  const since = new Date(now.getTime() - windowSeconds * 1000).toISOString();
  return {
    Put: {
      TableName: config.tableName,
      Item: {
        ...autoReplyKeys.sender(email),
        type: 'auto_reply',
        repliedAt: now.toISOString(),
        ttl: epochSeconds(new Date(now.getTime() + windowSeconds * 1000)),
      },
      ConditionExpression: 'attribute_not_exists(pk) OR repliedAt <= :since',
      ExpressionAttributeValues: { ':since': since },
    },
  };
}
