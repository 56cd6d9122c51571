import { ListCannedRepliesQuery } from '../../../shared/domain/canned-replies.js';
import { agents } from '../../../shared/domain/roles.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { findCannedReplies } from '../../../shared/tickets/canned-replies.js';

export const handler = httpHandler({
  action: 'canned_reply.list',
  roles: agents,
  query: ListCannedRepliesQuery,
  resource: { type: 'canned_reply' },
  async run({ principal, query }) {
    return ok({ items: await findCannedReplies(principal, query) });
  },
});
