import { writers } from '../../shared/domain/roles.js';
import { MessageSendFrame } from '../../shared/realtime/frames.js';
import { sendMessage } from '../../shared/tickets/chat.js';
import { wsHandler } from '../../shared/ws/handler.js';

export const handler = wsHandler({
  action: 'message.send',
  roles: writers,
  body: MessageSendFrame,
  resource: { type: 'ticket', field: 'ticketId' },
  async run({ principal, connection, body }) {
    return { type: 'message.ack', event: await sendMessage(principal, connection, body) };
  },
});
