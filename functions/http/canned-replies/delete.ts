import { CannedReplyParams } from '../../../shared/domain/canned-replies.js';
import { httpHandler, noContent } from '../../../shared/http/handler.js';
import { removeCannedReply } from '../../../shared/tickets/canned-replies.js';

export const handler = httpHandler({
  action: 'canned_reply.delete',
  roles: ['admin'],
  params: CannedReplyParams,
  resource: { type: 'canned_reply', param: 'id' },
  async run({ principal, params }) {
    await removeCannedReply(principal, params.id);
    return noContent();
  },
});
