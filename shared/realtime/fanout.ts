// Pushes to WebSocket subscribers through API Gateway's @connections API. Every write that others should
// see live (a timeline event, a ticket change, a chat entering or leaving the queue) ends with one of the
// publish functions below, after it is stored. Delivery is best effort by design: a client that missed a
// push recovers it with `ticket.subscribe` + `after`, so no failure here ever fails the caller.
import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { connectionsClient } from '../aws/connections.js';
import type { Audience } from '../domain/audience.js';
import { audienceOf, reaches } from '../domain/visibility.js';
import { logger } from '../observability/logger.js';
import { forEachLimited } from '../pool.js';
import { channels, listSubscribers } from '../store/connections.js';
import { markSeen } from '../store/notifications.js';
import { closeConnection } from './connections.js';
import type { PushFrame, TicketChangeFrame, TicketEventFrame, TypingFrame } from './frames.js';

/** Posts in flight at once per fan-out: far faster than one by one, within the SDK's 50 sockets. */
export const fanoutConcurrency = 32;

export interface PublishOptions {
  /** A connection that must not get this push (the sender's, which gets the reply instead). */
  except?: string;
  /** Posts in flight at once; fanoutConcurrency unless told (the bench's serial baseline sets 1). */
  concurrency?: number;
}

/**
 * A frame to push, the connection that must not get it (the sender's, which gets the reply instead), and
 * who it is for (domain/visibility.ts; everyone subscribed when absent).
 */
export interface Push {
  frame: PushFrame;
  except?: string;
  audience?: Audience;
}

export const eventPush = (ticketId: string, event: TicketEventFrame['event'], except?: string): Push => ({
  frame: { type: 'event', ticketId, event },
  ...(except === undefined ? {} : { except }),
  audience: audienceOf(event),
});

export const ticketPush = (ticket: TicketChangeFrame['ticket'], except?: string): Push => ({
  frame: { type: 'ticket.updated', ticket },
  ...(except === undefined ? {} : { except }),
});

export function publishEvent(ticketId: string, event: TicketEventFrame['event'], options: PublishOptions = {}) {
  return publishToTicket(ticketId, [eventPush(ticketId, event, options.except)], options);
}

export function publishTicket(ticket: TicketChangeFrame['ticket'], options: PublishOptions = {}) {
  return publishToTicket(ticket.id, [ticketPush(ticket, options.except)], options);
}

/** What one change to a ticket pushes (its events, then the ticket), to its subscribers looked up once. */
export function publishToTicket(
  ticketId: string,
  pushes: readonly Push[],
  options?: Pick<PublishOptions, 'concurrency'>,
) {
  return publishAll(channels.ticket(ticketId), pushes, { ...options, ticketId });
}

/** A chat ticket entered the queue, or left it (assigned, closed): agents' consoles update their list. */
export function publishQueue(ticket: TicketChangeFrame['ticket']) {
  return publish(channels.queue, { type: 'queue.updated', ticket });
}

export function publishTyping(ticketId: string, actor: TypingFrame['actor'], options?: PublishOptions) {
  return publish(channels.ticket(ticketId), { type: 'typing', ticketId, actor }, options);
}

/** Sends `frame` to every connection subscribed to `channel`. Never throws. */
export function publish(channel: string, frame: PushFrame, options: PublishOptions = {}): Promise<void> {
  return publishAll(channel, [{ frame, ...(options.except === undefined ? {} : { except: options.except }) }], options);
}

/**
 * Sends `pushes` to every connection subscribed to `channel`, looking the subscribers up once for all of
 * them: each connection gets them one after the other, in order (connections are served concurrently).
 * On a ticket's channel, the timeline events that reached a person are then recorded as seen by them, once
 * per person, so their reply notification leaves out what they watched live. Never throws.
 */
async function publishAll(
  channel: string,
  pushes: readonly Push[],
  options: Pick<PublishOptions, 'concurrency'> & { ticketId?: string } = {},
): Promise<void> {
  const frameType = pushes.map((push) => push.frame.type).join(',');
  const concurrency = options.concurrency ?? fanoutConcurrency;
  try {
    const subscribers = await listSubscribers(channel);
    const sent = pushes.map((push) => ({ ...push, data: Buffer.from(JSON.stringify(push.frame)) }));
    const seen = new Map<string, Set<string>>();
    await forEachLimited(subscribers, concurrency, async ({ connectionId, userId, role }) => {
      for (const push of sent) {
        if (push.except === connectionId || !reaches(role, push.audience ?? 'everyone')) continue;
        const outcome = await deliver(connectionId, push.data, channel, push.frame.type);
        if (outcome === 'gone') return;
        if (outcome === 'sent' && userId !== undefined && push.frame.type === 'event') {
          seen.set(userId, (seen.get(userId) ?? new Set()).add(push.frame.event.id));
        }
      }
    });
    const { ticketId } = options;
    if (ticketId !== undefined) {
      await forEachLimited([...seen], concurrency, ([userId, eventIds]) => markSeen(ticketId, userId, [...eventIds]));
    }
  } catch (error) {
    logger.error('fanout failed', { channel, frameType, error: error as Error });
  }
}

/** Posts `data` to a connection: sent, failed (logged), or gone (and now forgotten). */
async function deliver(
  connectionId: string,
  data: Uint8Array,
  channel: string,
  frameType: string,
): Promise<'sent' | 'failed' | 'gone'> {
  try {
    await connectionsClient().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
    return 'sent';
  } catch (error) {
    if (!isGone(error)) {
      logger.error('fanout failed', { channel, frameType, connectionId, error: error as Error });
      return 'failed';
    }
    // The client went away without a close frame; forget it so no later fan-out tries again.
    await closeConnection(connectionId).catch((cleanupError: Error) =>
      logger.error('fanout failed', { channel, frameType, connectionId, error: cleanupError }),
    );
    return 'gone';
  }
}

function isGone(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'GoneException' || e?.$metadata?.httpStatusCode === 410;
}
