import { CreateCannedReplyBody } from '../../../shared/domain/canned-replies.js';
import { created, httpHandler } from '../../../shared/http/handler.js';
import { createCannedReply } from '../../../shared/tickets/canned-replies.js';

export const handler = httpHandler({
  action: 'canned_reply.create',
  roles: ['admin'],
  body: CreateCannedReplyBody,
  resource: { type: 'canned_reply' },
  async run({ principal, body }) {
    return created({ reply: await createCannedReply(principal, body) });
  },
});
