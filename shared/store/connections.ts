// WebSocket connections and what they are subscribed to.
//
// Access patterns (pattern → key/index → operation):
//   connection by id             pk=CONN#<connectionId>      sk=META                    Put (in a transaction) / DeleteItem
//   subscribers of a channel     pk=SUB#<channel>            sk=CONN#<connectionId>     Query, paged (fan-out)
//   one subscription             pk=SUB#<channel>            sk=CONN#<connectionId>     GetItem / PutItem / DeleteItem
//   channels of a connection     gsi1pk=CONN#<connectionId>  gsi1sk=SUB#<channel>       Query on gsi1, paged (cleanup)
//   a person's connections       gsi2pk=CONNS#<userId>       gsi2sk=<connectionId>      Query on gsi2 (a revocation
//                                                                                       closes them; no Scan)
//
// A ticket's subscription also carries the ticket's group (`groupId`), so removing someone from a group
// finds, among their connections' subscriptions, those that group's tickets reach them through.
// A channel is a ticket's timeline (`ticket#<id>`) or the agents' queue (`queue`). One item per subscription
// serves both directions: the table key finds a channel's subscribers, gsi1 a connection's channels.
// Every item carries the connection's expiry as `ttl`, so what a crashed $disconnect leaves behind goes away.
// The connection item counts its subscriptions (`subscriptions`), written in the same transaction as each
// subscription item, so the limit per connection holds under parallel frames. A subscription carries its
// person's role, so a push meant for staff alone (domain/visibility.ts) reaches only staff connections without
// reading each connection.
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { Principal, Role } from '../domain/roles.js';
import { conditionFailed, queryAll, type TransactItem, transact } from './dynamo.js';
import { partitions } from './partitions.js';

export const channels = {
  ticket: (ticketId: string) => `ticket#${ticketId}`,
  queue: 'queue',
} as const;

export const keys = {
  connection: (connectionId: string) => ({ pk: `${partitions.connection}${connectionId}`, sk: 'META' }),
  subscription: (channel: string, connectionId: string) => ({
    pk: `${partitions.subscription}${channel}`,
    sk: `CONN#${connectionId}`,
  }),
  subscriptionsOfConnection: (connectionId: string) => ({ gsi1pk: `CONN#${connectionId}` }),
  subscriptionInConnection: (channel: string) => ({ gsi1sk: `SUB#${channel}` }),
  connectionOfPerson: (userId: string, connectionId: string) => ({ gsi2pk: `CONNS#${userId}`, gsi2sk: connectionId }),
};

/** API Gateway closes every WebSocket connection after 2 hours. */
export const connectionLifetimeSeconds = 2 * 60 * 60;

/** Where a connection's items expire, from the moment API Gateway accepted it. */
export function connectionExpiry(connectedAtMs: number): number {
  return Math.floor(connectedAtMs / 1000) + connectionLifetimeSeconds;
}

export interface Connection {
  connectionId: string;
  principal: Principal;
  connectedAt: string;
}

/** The write that stores a connection holding person slot `slot` and `subscriptions` subscriptions. */
export function connectionPut(
  connection: Connection,
  ttl: number,
  counts: { slot: number; subscriptions: number },
): TransactItem {
  return {
    Put: {
      TableName: config.tableName,
      Item: {
        ...keys.connection(connection.connectionId),
        ...keys.connectionOfPerson(connection.principal.userId, connection.connectionId),
        type: 'connection',
        ...connection,
        ...counts,
        ttl,
      },
    },
  };
}

/** Forgets a connection; answers who held it and their slot (store/connection-slots.ts), if it was stored. */
export async function deleteConnectionItem(
  connectionId: string,
): Promise<{ principal: Principal; slot?: number } | undefined> {
  const { Attributes } = await dynamoClient().send(
    new DeleteCommand({ TableName: config.tableName, Key: keys.connection(connectionId), ReturnValues: 'ALL_OLD' }),
  );
  if (!Attributes) return undefined;
  return {
    principal: Attributes.principal as Principal,
    ...(typeof Attributes.slot === 'number' ? { slot: Attributes.slot } : {}),
  };
}

/**
 * Who a subscription serves: its connection's person, so fan-out can tell who saw a push
 * (store/notifications.ts); their role, so fan-out leaves out what the role may not see (domain/visibility.ts);
 * and on a ticket's channel the ticket's group, so leaving the group ends it.
 */
export interface SubscriptionHolder {
  userId: string;
  role: Role;
  groupId?: string;
}

/** The write that stores one subscription, unless it exists already. */
export function subscriptionPut(
  channel: string,
  connectionId: string,
  ttl: number,
  { userId, role, groupId }: SubscriptionHolder,
): TransactItem {
  return {
    Put: {
      TableName: config.tableName,
      Item: {
        ...keys.subscription(channel, connectionId),
        ...keys.subscriptionsOfConnection(connectionId),
        ...keys.subscriptionInConnection(channel),
        type: 'subscription',
        channel,
        connectionId,
        userId,
        role,
        ...(groupId === undefined ? {} : { groupId }),
        ttl,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Subscribes a connection to a channel, counted on its connection item: `full` when it holds `max` already,
 * `closed` when the connection is no longer stored (it went away meanwhile).
 */
export async function addSubscription(
  channel: string,
  connectionId: string,
  ttl: number,
  max: number,
  holder: SubscriptionHolder,
): Promise<'added' | 'already' | 'full' | 'closed'> {
  try {
    await transact([
      subscriptionPut(channel, connectionId, ttl, holder),
      {
        Update: {
          TableName: config.tableName,
          Key: keys.connection(connectionId),
          UpdateExpression: 'SET subscriptions = if_not_exists(subscriptions, :zero) + :one',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(subscriptions) OR subscriptions < :max)',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': max },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ]);
    return 'added';
  } catch (error) {
    if (conditionFailed(error, 0)) return 'already';
    if (!conditionFailed(error, 1)) throw error;
    const reasons = (error as { CancellationReasons?: { Item?: unknown }[] }).CancellationReasons;
    return reasons?.[1]?.Item ? 'full' : 'closed';
  }
}

/** Unsubscribes a connection from a channel, if it was subscribed, and counts one subscription fewer. */
export async function removeSubscription(channel: string, connectionId: string): Promise<void> {
  try {
    await transact([
      {
        Delete: {
          TableName: config.tableName,
          Key: keys.subscription(channel, connectionId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      {
        Update: {
          TableName: config.tableName,
          Key: keys.connection(connectionId),
          UpdateExpression: 'SET subscriptions = subscriptions - :one',
          ConditionExpression: 'subscriptions > :zero',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
        },
      },
    ]);
  } catch (error) {
    if (!conditionFailed(error, 0)) {
      if (!conditionFailed(error, 1)) throw error;
      // A connection item without a count (gone meanwhile): the subscription alone goes.
      await deleteSubscription(channel, connectionId);
    }
  }
}

export async function deleteSubscription(channel: string, connectionId: string): Promise<void> {
  await dynamoClient().send(
    new DeleteCommand({ TableName: config.tableName, Key: keys.subscription(channel, connectionId) }),
  );
}

export async function isSubscribed(channel: string, connectionId: string): Promise<boolean> {
  const { Item } = await dynamoClient().send(
    new GetCommand({
      TableName: config.tableName,
      Key: keys.subscription(channel, connectionId),
      ProjectionExpression: 'pk',
    }),
  );
  return Item !== undefined;
}

export interface Subscriber {
  connectionId: string;
  /** Absent on subscriptions made before they named their person and role. */
  userId?: string;
  role?: Role;
}

/** The connections subscribed to a channel, with their people and roles, every page. */
export async function listSubscribers(channel: string): Promise<Subscriber[]> {
  const { pk } = keys.subscription(channel, '');
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    ProjectionExpression: 'connectionId, userId, #role',
    ExpressionAttributeNames: { '#role': 'role' },
  });
  return items.map((i) => ({
    connectionId: String(i.connectionId),
    ...(typeof i.userId === 'string' ? { userId: i.userId } : {}),
    ...(typeof i.role === 'string' ? { role: i.role as Role } : {}),
  }));
}

/** Channels a connection is subscribed to, every page. */
export async function listChannels(connectionId: string): Promise<string[]> {
  const items = await queryAll({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.subscriptionsOfConnection(connectionId).gsi1pk },
    ProjectionExpression: 'channel',
  });
  return items.map((i) => String(i.channel));
}

/** Channels of a connection that follow tickets of `groupId`, every page. */
export async function listChannelsOfGroup(connectionId: string, groupId: string): Promise<string[]> {
  const items = await queryAll({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    FilterExpression: 'groupId = :groupId',
    ExpressionAttributeValues: { ':pk': keys.subscriptionsOfConnection(connectionId).gsi1pk, ':groupId': groupId },
    ProjectionExpression: 'channel',
  });
  return items.map((i) => String(i.channel));
}

/** Ids of the connections a person has open, every page. */
export async function listConnectionsOf(userId: string): Promise<string[]> {
  const items = await queryAll({
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.connectionOfPerson(userId, '').gsi2pk },
    ProjectionExpression: 'connectionId',
  });
  return items.map((i) => String(i.connectionId));
}
