import { MessageSendFrame } from '../../shared/realtime/frames.js';
import { sendMessage } from '../../shared/tickets/chat.js';
import { wsHandler } from '../../shared/ws/handler.js';

export const handler = wsHandler({
  action: 'message.send',
  roles: ['customer', 'platform_user', 'agent', 'admin'],
  body: MessageSendFrame,
  resource: { type: 'ticket', field: 'ticketId' },
  async run({ principal, connection, body }) {
    return { type: 'message.ack', event: await sendMessage(principal, connection, body) };
  },
});
