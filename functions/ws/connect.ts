import { Unauthenticated } from '../../shared/errors.js';
import { checkOrigin, openConnection } from '../../shared/realtime/connections.js';
import { wsLifecycleHandler } from '../../shared/ws/handler.js';

export const handler = wsLifecycleHandler({
  action: 'connection.open',
  current: true,
  async run({ principal, connection, headers }) {
    if (!principal) throw new Unauthenticated();
    checkOrigin(headers.origin);
    await openConnection(connection, principal);
  },
});
