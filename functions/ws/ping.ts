import { wsHandler } from '../../shared/ws/handler.js';

export const handler = wsHandler({
  action: 'ping',
  current: false,
  async run() {
    return { type: 'pong' };
  },
});
