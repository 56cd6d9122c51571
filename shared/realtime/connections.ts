// The life of a WebSocket connection: stored at $connect with who opened it, subscribed to channels,
// forgotten with all its subscriptions at $disconnect or when a push finds it gone.
import { config } from '../config.js';
import { isAgent, type Principal } from '../domain/roles.js';
import { Forbidden } from '../errors.js';
import { forEachLimited } from '../pool.js';
import {
  channels,
  connectionExpiry,
  deleteConnectionItem,
  deleteSubscription,
  listChannels,
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
  if (isAgent(principal)) await putSubscription(channels.queue, connection.connectionId, principal.role, ttl);
}

export async function closeConnection(connectionId: string): Promise<void> {
  const subscribed = await listChannels(connectionId);
  await forEachLimited(subscribed, 10, (channel) => deleteSubscription(channel, connectionId));
  await deleteConnectionItem(connectionId);
}

export async function subscribe(
  connection: ConnectionRef,
  channel: string,
  principal: Pick<Principal, 'role'>,
): Promise<void> {
  await putSubscription(channel, connection.connectionId, principal.role, connectionExpiry(connection.connectedAt));
}

export async function unsubscribe(connection: ConnectionRef, channel: string): Promise<void> {
  await deleteSubscription(channel, connection.connectionId);
}
