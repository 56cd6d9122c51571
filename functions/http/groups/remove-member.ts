import { removeMember } from '../../../shared/auth/groups.js';
import { MemberParams } from '../../../shared/domain/groups.js';
import { httpHandler, noContent } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'group.member_remove',
  params: MemberParams,
  // The person who lost access is the target; the route's group is in the path the line's route names.
  resource: { type: 'user', param: 'userId' },
  async run({ principal, params }) {
    await removeMember(principal, params.groupId, params.userId);
    return noContent();
  },
});
