import { writers } from '../../shared/domain/roles.js';
import { ChatStartFrame } from '../../shared/realtime/frames.js';
import { startChat } from '../../shared/tickets/chat.js';
import { wsHandler } from '../../shared/ws/handler.js';

export const handler = wsHandler({
  action: 'chat.start',
  roles: writers,
  body: ChatStartFrame,
  async run({ principal, connection, body, setResource }) {
    const { ticket, events } = await startChat(principal, connection, body);
    setResource('ticket', ticket.id);
    return { type: 'chat.started', ticket, events };
  },
});
