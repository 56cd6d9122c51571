import { closeConnection } from '../../shared/realtime/connections.js';
import { wsLifecycleHandler } from '../../shared/ws/handler.js';

export const handler = wsLifecycleHandler({
  action: 'connection.close',
  async run({ connection }) {
    await closeConnection(connection.connectionId);
  },
});
