// The life of a WebSocket connection: stored at $connect with who opened it, subscribed to channels,
// forgotten with all its subscriptions at $disconnect or when a push finds it gone.
import { DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { connectionsClient } from '../aws/connections.js';
import { config } from '../config.js';
import { isAgent, type Principal } from '../domain/roles.js';
import { Forbidden } from '../errors.js';
import { logger } from '../observability/logger.js';
import { forEachLimited } from '../pool.js';
import {
  channels,
  connectionExpiry,
  deleteConnectionItem,
  deleteSubscription,
  listChannels,
  listChannelsOfGroup,
  listConnectionsOf,
  putConnection,
  putSubscription,
} from '../store/connections.js';

/** Where a connection is in its life: what a route event tells about the connection it came on. */
export interface ConnectionRef {
  connectionId: string;
  /** Epoch milliseconds, from API Gateway's `requestContext.connectedAt`. */
  connectedAt: number;
}

/**
 * A browser always sends `Origin`: a page outside the web app's origins may not open a connection with a
 * ticket it obtained. Other clients (apps, scripts) send none and rely on their ticket alone.
 */
export function checkOrigin(origin: string | undefined): void {
  if (origin !== undefined && !config.webOrigins.includes(origin)) {
    throw new Forbidden('this origin may not open a connection');
  }
}

export async function openConnection(connection: ConnectionRef, principal: Principal): Promise<void> {
  const ttl = connectionExpiry(connection.connectedAt);
  await putConnection(
    {
      connectionId: connection.connectionId,
      principal,
      connectedAt: new Date(connection.connectedAt).toISOString(),
    },
    ttl,
  );
  if (isAgent(principal)) {
    await putSubscription(channels.queue, connection.connectionId, ttl, {
      userId: principal.userId,
      role: principal.role,
    });
  }
}

export async function closeConnection(connectionId: string): Promise<void> {
  const subscribed = await listChannels(connectionId);
  await forEachLimited(subscribed, 10, (channel) => deleteSubscription(channel, connectionId));
  await deleteConnectionItem(connectionId);
}

/** `groupId`: the group of the ticket the channel follows, so that leaving the group ends the subscription. */
export async function subscribe(
  connection: ConnectionRef,
  channel: string,
  principal: Pick<Principal, 'userId' | 'role'>,
  groupId?: string,
): Promise<void> {
  await putSubscription(channel, connection.connectionId, connectionExpiry(connection.connectedAt), {
    userId: principal.userId,
    role: principal.role,
    ...(groupId === undefined ? {} : { groupId }),
  });
}

// Closing a person's connections: a handful (the per-person limit) at once.
const closingConcurrency = 10;

/**
 * Ends every live connection of a person (disabled, role changed, signed out everywhere, new password):
 * API Gateway closes the socket, and its items go at once, so no fan-out reaches it even before its
 * $disconnect runs. A connection already gone is simply forgotten. One that API Gateway fails to close still
 * loses its items (no push reaches it) and is logged; its frames are refused anyway, since the revocation
 * was written first (shared/auth/current-principal.ts), so the caller's request does not fail for it.
 */
export async function closeConnectionsOf(userId: string): Promise<void> {
  const open = await listConnectionsOf(userId);
  await forEachLimited(open, closingConcurrency, async (connectionId) => {
    try {
      await connectionsClient().send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if ((error as Error).name !== 'GoneException' && status !== 410) {
        logger.error('closing a connection failed', { connectionId, error: error as Error });
      }
    }
    await closeConnection(connectionId);
  });
}

/**
 * A person left a group: their connections stop following that group's tickets, so its pushes no longer
 * reach them (a later `ticket.subscribe` is refused like any ticket they cannot see).
 */
export async function unsubscribeFromGroup(userId: string, groupId: string): Promise<void> {
  const open = await listConnectionsOf(userId);
  await forEachLimited(open, closingConcurrency, async (connectionId) => {
    const followed = await listChannelsOfGroup(connectionId, groupId);
    await forEachLimited(followed, closingConcurrency, (channel) => deleteSubscription(channel, connectionId));
  });
}

export async function unsubscribe(connection: ConnectionRef, channel: string): Promise<void> {
  await deleteSubscription(channel, connection.connectionId);
}
