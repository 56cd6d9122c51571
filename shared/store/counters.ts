// Counters that hand out sequential numbers (a ticket's human-friendly `#1042`).
//
// Access patterns (pattern → key/index → operation):
//   a counter's value   pk=COUNTER  sk=<name>   GetItem (consistent), then a conditional update inside the
//                                               transaction that uses the number
//
// Why not `ADD value 1` with ReturnValues: that update cannot be part of a transaction (a transaction returns
// no values), so the number would be taken in one request and used in another, and a failed or retried
// creation would leave a hole. Instead the caller reads the counter and puts "value was N → N+1" into the
// same TransactWriteItems as the ticket: the number exists exactly when the ticket does, numbers have no
// gaps, and two creations racing for the same N cannot both commit — the loser's whole transaction is
// cancelled and it tries again with N+1. One item takes every creation, which is far more than a support
// desk opens per second.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { TransactItem } from './dynamo.js';

export const counterKeys = {
  counter: (name: string) => ({ pk: 'COUNTER', sk: name }),
};

/** The counter that numbers tickets; its start is the oldest month the all-tickets listing reads. */
export const ticketNumberCounter = 'TICKET_NUMBER';

export interface Counter {
  name: string;
  /** The last number handed out; 0 before the first. */
  value: number;
  /** When the first number was handed out. */
  startedAt?: string;
}

export async function readCounter(name: string): Promise<Counter> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: counterKeys.counter(name), ConsistentRead: true }),
  );
  return {
    name,
    value: typeof Item?.value === 'number' ? Item.value : 0,
    ...(typeof Item?.startedAt === 'string' ? { startedAt: Item.startedAt } : {}),
  };
}

/** Moves `counter` from the value it was read at to the next one; cancels the transaction if someone else did. */
export function advanceCounterItem(counter: Counter, now: Date): TransactItem {
  return {
    Update: {
      TableName: config.tableName,
      Key: counterKeys.counter(counter.name),
      UpdateExpression: 'SET #value = :next, startedAt = if_not_exists(startedAt, :now)',
      ConditionExpression: counter.value === 0 ? 'attribute_not_exists(#value)' : '#value = :read',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: {
        ':next': counter.value + 1,
        ':now': now.toISOString(),
        ...(counter.value === 0 ? {} : { ':read': counter.value }),
      },
    },
  };
}
