import { describe, expect, it } from 'vitest';
import { wsRoutes } from '../../../infra/routes.js';
import { clientActions } from '../../../shared/realtime/frames.js';

describe('the route table and the WebSocket runtime', () => {
  it('routes every action a client may send, and no other', () => {
    const routed = wsRoutes.map((route) => route.routeKey).filter((key) => !key.startsWith('$'));
    expect(routed.toSorted()).toEqual([...clientActions].toSorted());
  });
});
