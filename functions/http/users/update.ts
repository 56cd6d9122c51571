import { updateUser } from '../../../shared/auth/people.js';
import { PatchUserBody, UserParams } from '../../../shared/domain/users.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'user.update',
  roles: ['admin'],
  params: UserParams,
  body: PatchUserBody,
  resource: { type: 'user', param: 'userId' },
  async run({ params, body }) {
    return ok({ user: await updateUser(params.userId, body) });
  },
});
