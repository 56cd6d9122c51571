import { wsHandler } from '../../shared/ws/handler.js';

export const handler = wsHandler({
  action: 'ping',
  async run() {
    return { type: 'pong' };
  },
});
