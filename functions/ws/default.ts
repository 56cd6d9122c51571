import { unknownAction } from '../../shared/realtime/frames.js';
import { wsHandler } from '../../shared/ws/handler.js';
import * as z from '../../shared/zod.js';

// API Gateway routes here every frame whose `action` matches no route, or that is not JSON at all (the
// pipeline answers that one with malformed_json before this runs).
export const handler = wsHandler({
  action: 'frame.unknown',
  current: false,
  body: z.looseObject({}),
  async run({ action }) {
    throw unknownAction(action);
  },
});
