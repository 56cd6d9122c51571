import { writers } from '../../shared/domain/roles.js';
import { sendTyping } from '../../shared/realtime/following.js';
import { TicketFrame } from '../../shared/realtime/frames.js';
import { wsHandler } from '../../shared/ws/handler.js';

export const handler = wsHandler({
  action: 'typing',
  roles: writers,
  body: TicketFrame,
  resource: { type: 'ticket', field: 'ticketId' },
  async run({ principal, connection, body }) {
    await sendTyping(principal, connection, body.ticketId);
    return undefined;
  },
});
