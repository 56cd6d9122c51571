import { lookupInvite } from '../../../shared/auth/invitations.js';
import { LookupInviteQuery } from '../../../shared/domain/invites.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'invite.lookup',
  auth: false,
  query: LookupInviteQuery,
  async run({ query }) {
    return ok(await lookupInvite(query.token));
  },
});
