import { PresenceBody } from '../../shared/domain/assignment.js';
import { agents } from '../../shared/domain/roles.js';
import { httpHandler, noContent } from '../../shared/http/handler.js';
import { setPresence } from '../../shared/tickets/assignment.js';

export const handler = httpHandler({
  action: 'me.presence',
  roles: agents,
  body: PresenceBody,
  async run({ principal, body, setResource }) {
    setResource('user', principal.userId);
    await setPresence(principal, body.status);
    return noContent();
  },
});
