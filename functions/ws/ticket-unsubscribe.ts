import { unsubscribeFromTicket } from '../../shared/realtime/following.js';
import { TicketFrame } from '../../shared/realtime/frames.js';
import { wsHandler } from '../../shared/ws/handler.js';

export const handler = wsHandler({
  action: 'ticket.unsubscribe',
  body: TicketFrame,
  resource: { type: 'ticket', field: 'ticketId' },
  async run({ connection, body }) {
    await unsubscribeFromTicket(connection, body.ticketId);
    return { type: 'ticket.unsubscribed', ticketId: body.ticketId };
  },
});
