import { SubscribeFrame } from '../../shared/realtime/frames.js';
import { subscribeToTicket } from '../../shared/tickets/chat.js';
import { wsHandler } from '../../shared/ws/handler.js';

export const handler = wsHandler({
  action: 'ticket.subscribe',
  body: SubscribeFrame,
  resource: { type: 'ticket', field: 'ticketId' },
  async run({ principal, connection, body }) {
    const { missed, more } = await subscribeToTicket(principal, connection, body.ticketId, body.after);
    return { type: 'ticket.subscribed', ticketId: body.ticketId, missed, more };
  },
});
