import { listGroups } from '../../../shared/auth/groups.js';
import { ListGroupsQuery } from '../../../shared/domain/groups.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'group.list',
  query: ListGroupsQuery,
  async run({ principal, query }) {
    return ok(await listGroups(principal, query));
  },
});
