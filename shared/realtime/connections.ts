// The life of a WebSocket connection: stored at $connect with who opened it, subscribed to channels,
// forgotten with all its subscriptions at $disconnect or when a push finds it gone.
import { DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { connectionsClient } from '../aws/connections.js';
import { config } from '../config.js';
import { limits } from '../domain/limits.js';
import { isAgent, type Principal } from '../domain/roles.js';
import { Forbidden, RateLimited } from '../errors.js';
import { recordRefusal } from '../limits/limiter.js';
import { logger } from '../observability/logger.js';
import { forEachLimited } from '../pool.js';
import { heldSlots, releaseSlot, takeSlotItem } from '../store/connection-slots.js';
import {
  addSubscription,
  channels,
  connectionExpiry,
  connectionPut,
  deleteConnectionItem,
  deleteSubscription,
  listChannels,
  listChannelsOfGroup,
  listConnectionsOf,
  removeSubscription,
  subscriptionPut,
} from '../store/connections.js';
import { conditionFailed, transact, transactionConflict } from '../store/dynamo.js';

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

/**
 * Stores a new connection, as one of the person's `limits.connectionsPerPerson` (store/connection-slots.ts):
 * the 11th is refused with 429 (its connection ticket is already spent by the authorizer).
 */
export async function openConnection(connection: ConnectionRef, principal: Principal): Promise<void> {
  const { connectionId } = connection;
  const ttl = connectionExpiry(connection.connectedAt);
  const nowSeconds = Math.floor(Date.now() / 1000);
  const queue = isAgent(principal);
  const stored = { connectionId, principal, connectedAt: new Date(connection.connectedAt).toISOString() };
  // Bounded: each pass tries the slots it saw free; a slot taken meanwhile sends it to the next one.
  for (let pass = 0; pass < 3; pass++) {
    const held = await heldSlots(principal.userId, nowSeconds);
    const free = Array.from({ length: limits.connectionsPerPerson }, (_, n) => n).filter((n) => !held.has(n));
    if (free.length === 0) break;
    for (const slot of free) {
      try {
        await transact([
          takeSlotItem(principal.userId, slot, connectionId, ttl, nowSeconds),
          connectionPut(stored, ttl, { slot, subscriptions: queue ? 1 : 0 }),
          ...(queue
            ? [subscriptionPut(channels.queue, connectionId, ttl, { userId: principal.userId, role: principal.role })]
            : []),
        ]);
        return;
      } catch (error) {
        if (!conditionFailed(error, 0) && !transactionConflict(error)) throw error;
      }
    }
  }
  recordRefusal('connections', { userId: principal.userId, connectionId });
  throw new RateLimited(60);
}

export async function closeConnection(connectionId: string): Promise<void> {
  const subscribed = await listChannels(connectionId);
  await forEachLimited(subscribed, 10, (channel) => deleteSubscription(channel, connectionId));
  const closed = await deleteConnectionItem(connectionId);
  if (closed?.slot !== undefined) await releaseSlot(closed.principal.userId, closed.slot, connectionId);
}

/**
 * Subscribes the connection to a channel, within `limits.subscriptionsPerConnection` (429 beyond).
 * `groupId`: the group of the ticket the channel follows, so that leaving the group ends the subscription.
 */
export async function subscribe(
  connection: ConnectionRef,
  channel: string,
  principal: Pick<Principal, 'userId' | 'role'>,
  groupId?: string,
): Promise<void> {
  const { connectionId } = connection;
  const max = limits.subscriptionsPerConnection;
  const ttl = connectionExpiry(connection.connectedAt);
  const outcome = await addSubscription(channel, connectionId, ttl, max, {
    userId: principal.userId,
    role: principal.role,
    ...(groupId === undefined ? {} : { groupId }),
  });
  if (outcome === 'full') {
    recordRefusal('subscriptions', { connectionId });
    throw new RateLimited(60);
  }
}

// Closing a person's connections: a handful (the per-person limit) at once.
const closingConcurrency = limits.connectionsPerPerson;

/**
 * Ends every live connection of a person (disabled, role changed, signed out everywhere, new password):
 * API Gateway closes the socket, and its items go at once, so no fan-out reaches it even before its
 * $disconnect runs, and its slot (store/connection-slots.ts) is free for the person's next connection. A
 * connection already gone is simply forgotten. One that API Gateway fails to close still loses its items (no
 * push reaches it) and is logged; its frames are refused anyway, since the revocation was written first
 * (shared/auth/current-principal.ts), so the caller's request does not fail for it.
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
 * reach them (a later `ticket.subscribe` is refused like any ticket they cannot see), and each counts them
 * no more against its subscriptions.
 */
export async function unsubscribeFromGroup(userId: string, groupId: string): Promise<void> {
  const open = await listConnectionsOf(userId);
  await forEachLimited(open, closingConcurrency, async (connectionId) => {
    const followed = await listChannelsOfGroup(connectionId, groupId);
    await forEachLimited(followed, closingConcurrency, (channel) => removeSubscription(channel, connectionId));
  });
}

export async function unsubscribe(connection: ConnectionRef, channel: string): Promise<void> {
  await removeSubscription(channel, connection.connectionId);
}
