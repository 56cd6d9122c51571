// Pushes to WebSocket subscribers through API Gateway's @connections API. Every write that others should
// see live (a timeline event, a ticket change, a chat entering or leaving the queue) ends with one of the
// publish functions below, after it is stored. Delivery is best effort by design: a client that missed a
// push recovers it with `ticket.subscribe` + `after`, so no failure here ever fails the caller.
import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { connectionsClient } from '../aws/connections.js';
import { logger } from '../observability/logger.js';
import { channels, listSubscribers } from '../store/connections.js';
import { closeConnection } from './connections.js';
import type { PushFrame, TicketChangeFrame, TicketEventFrame, TypingFrame } from './frames.js';
import { forEachLimited } from './pool.js';

/** Posts in flight at once per fan-out: far faster than one by one, within the SDK's 50 sockets. */
export const fanoutConcurrency = 32;

export interface PublishOptions {
  /** A connection that must not get this push (the sender's, which gets the reply instead). */
  except?: string;
  /** Posts in flight at once; fanoutConcurrency unless told (the bench's serial baseline sets 1). */
  concurrency?: number;
}

export function publishEvent(ticketId: string, event: TicketEventFrame['event'], options?: PublishOptions) {
  return publish(channels.ticket(ticketId), { type: 'event', ticketId, event }, options);
}

export function publishTicket(ticket: TicketChangeFrame['ticket'], options?: PublishOptions) {
  return publish(channels.ticket(ticket.id), { type: 'ticket.updated', ticket }, options);
}

/** A chat ticket entered the queue, or left it (assigned, closed): agents' consoles update their list. */
export function publishQueue(ticket: TicketChangeFrame['ticket']) {
  return publish(channels.queue, { type: 'queue.updated', ticket });
}

export function publishTyping(ticketId: string, actor: TypingFrame['actor'], options?: PublishOptions) {
  return publish(channels.ticket(ticketId), { type: 'typing', ticketId, actor }, options);
}

/** Sends `frame` to every connection subscribed to `channel`. Never throws. */
export async function publish(channel: string, frame: PushFrame, options: PublishOptions = {}): Promise<void> {
  try {
    const recipients = (await listSubscribers(channel)).filter((id) => id !== options.except);
    const data = Buffer.from(JSON.stringify(frame));
    await forEachLimited(recipients, options.concurrency ?? fanoutConcurrency, (connectionId) =>
      deliver(connectionId, data, channel, frame.type),
    );
  } catch (error) {
    logger.error('fanout failed', { channel, frameType: frame.type, error: error as Error });
  }
}

async function deliver(connectionId: string, data: Uint8Array, channel: string, frameType: string): Promise<void> {
  try {
    await connectionsClient().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
  } catch (error) {
    if (!isGone(error)) {
      logger.error('fanout failed', { channel, frameType, connectionId, error: error as Error });
      return;
    }
    // The client went away without a close frame; forget it so no later fan-out tries again.
    await closeConnection(connectionId).catch((cleanupError: Error) =>
      logger.error('fanout failed', { channel, frameType, connectionId, error: cleanupError }),
    );
  }
}

function isGone(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'GoneException' || e?.$metadata?.httpStatusCode === 410;
}
