import { createGroup } from '../../../shared/auth/groups.js';
import { CreateGroupBody } from '../../../shared/domain/groups.js';
import { created, httpHandler } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'group.create',
  roles: ['admin'],
  body: CreateGroupBody,
  async run({ principal, body, setResource }) {
    const group = await createGroup(principal, body);
    setResource('group', group.id);
    return created({ group });
  },
});
