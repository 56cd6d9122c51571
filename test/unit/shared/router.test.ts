// One function, several routes: the event names its route, whatever API sent it.
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { connectAuthorizerKey, router } from '../../../shared/router.js';

const context = { functionName: 'atende-portal' } as Context;
const answering = (name: string) => async (event: unknown) => ({ name, event });

describe('router', () => {
  const handler = router({
    'GET /tickets/{id}': answering('get ticket'),
    $default: answering('not found'),
    'message.send': answering('message'),
    [connectAuthorizerKey]: answering('authorizer'),
  });

  it('runs the handler of an HTTP event’s routeKey, $default included', async () => {
    expect(await handler({ version: '2.0', routeKey: 'GET /tickets/{id}', requestContext: {} }, context)).toMatchObject(
      {
        name: 'get ticket',
      },
    );
    expect(await handler({ version: '2.0', routeKey: '$default', requestContext: {} }, context)).toMatchObject({
      name: 'not found',
    });
  });

  it('runs the handler of a WebSocket event’s route, and the $connect authorizer for its REQUEST event', async () => {
    expect(
      await handler({ requestContext: { routeKey: 'message.send', eventType: 'MESSAGE' } }, context),
    ).toMatchObject({
      name: 'message',
    });
    const authorize = { type: 'REQUEST', methodArn: 'arn', requestContext: { routeKey: '$connect' } };
    expect(await handler(authorize, context)).toMatchObject({ name: 'authorizer' });
  });

  it('refuses an event for a route it does not serve, however it is named', () => {
    expect(() => handler({ version: '2.0', routeKey: 'DELETE /tickets/{id}' }, context)).toThrow(
      'atende-portal serves no route DELETE /tickets/{id}',
    );
    expect(() => handler({ version: '2.0', routeKey: 'constructor' }, context)).toThrow('serves no route constructor');
    expect(() => handler({}, context)).toThrow('serves no route (none in the event)');
  });
});
