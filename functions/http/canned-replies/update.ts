import { CannedReplyParams, PatchCannedReplyBody } from '../../../shared/domain/canned-replies.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { changeCannedReply } from '../../../shared/tickets/canned-replies.js';

export const handler = httpHandler({
  action: 'canned_reply.update',
  roles: ['admin'],
  params: CannedReplyParams,
  body: PatchCannedReplyBody,
  resource: { type: 'canned_reply', param: 'id' },
  async run({ principal, params, body }) {
    return ok({ reply: await changeCannedReply(principal, params.id, body) });
  },
});
