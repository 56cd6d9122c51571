// WebSocket connections and what they are subscribed to.
//
// Access patterns (pattern → key/index → operation):
//   connection by id             pk=CONN#<connectionId>      sk=META                    PutItem / DeleteItem
//   subscribers of a channel     pk=SUB#<channel>            sk=CONN#<connectionId>     Query, paged (fan-out)
//   one subscription             pk=SUB#<channel>            sk=CONN#<connectionId>     GetItem / PutItem / DeleteItem
//   channels of a connection     gsi1pk=CONN#<connectionId>  gsi1sk=SUB#<channel>       Query on gsi1, paged (cleanup)
//
// A channel is a ticket's timeline (`ticket#<id>`) or the agents' queue (`queue`). One item per subscription
// serves both directions: the table key finds a channel's subscribers, gsi1 a connection's channels.
// Every item carries the connection's expiry as `ttl`, so what a crashed $disconnect leaves behind goes away.
// A subscription carries its person's role, so a push meant for staff alone (domain/visibility.ts) reaches
// only staff connections without reading each connection.
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { Principal, Role } from '../domain/roles.js';
import { queryAll } from './dynamo.js';

export const channels = {
  ticket: (ticketId: string) => `ticket#${ticketId}`,
  queue: 'queue',
} as const;

export const keys = {
  connection: (connectionId: string) => ({ pk: `CONN#${connectionId}`, sk: 'META' }),
  subscription: (channel: string, connectionId: string) => ({ pk: `SUB#${channel}`, sk: `CONN#${connectionId}` }),
  subscriptionsOfConnection: (connectionId: string) => ({ gsi1pk: `CONN#${connectionId}` }),
  subscriptionInConnection: (channel: string) => ({ gsi1sk: `SUB#${channel}` }),
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

export async function putConnection(connection: Connection, ttl: number): Promise<void> {
  await dynamoClient().send(
    new PutCommand({
      TableName: config.tableName,
      Item: { ...keys.connection(connection.connectionId), type: 'connection', ...connection, ttl },
    }),
  );
}

export async function deleteConnectionItem(connectionId: string): Promise<void> {
  await dynamoClient().send(new DeleteCommand({ TableName: config.tableName, Key: keys.connection(connectionId) }));
}

export async function putSubscription(channel: string, connectionId: string, role: Role, ttl: number): Promise<void> {
  await dynamoClient().send(
    new PutCommand({
      TableName: config.tableName,
      Item: {
        ...keys.subscription(channel, connectionId),
        ...keys.subscriptionsOfConnection(connectionId),
        ...keys.subscriptionInConnection(channel),
        type: 'subscription',
        channel,
        connectionId,
        role,
        ttl,
      },
    }),
  );
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
  /** Absent on subscriptions stored before they carried one. */
  role?: Role;
}

/** The connections subscribed to a channel, with their people's roles, every page. */
export async function listSubscribersWithRoles(channel: string): Promise<Subscriber[]> {
  const { pk } = keys.subscription(channel, '');
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    ProjectionExpression: 'connectionId, #role',
    ExpressionAttributeNames: { '#role': 'role' },
  });
  return items.map((i) => ({
    connectionId: String(i.connectionId),
    ...(typeof i.role === 'string' ? { role: i.role as Role } : {}),
  }));
}

/** Connection ids subscribed to a channel, every page. */
export async function listSubscribers(channel: string): Promise<string[]> {
  return (await listSubscribersWithRoles(channel)).map((s) => s.connectionId);
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
