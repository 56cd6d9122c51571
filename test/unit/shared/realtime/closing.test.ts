// A revocation closing a person's connections (shared/realtime/connections.ts, closeConnectionsOf), with
// API Gateway failing on one of them: the others close, every one loses its items, and nothing throws.
import { DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { logger } from '../../../../shared/observability/logger.js';
import { closeConnectionsOf } from '../../../../shared/realtime/connections.js';
import { mockFanout } from './mock-fanout.js';

const { dynamo, gateway } = mockFanout();

describe("closing a person's connections", () => {
  it('closes each one, forgets each one, and logs the one API Gateway failed to close', async () => {
    dynamo
      .on(QueryCommand, { IndexName: 'gsi2' })
      .resolves({ Items: [{ connectionId: 'c1' }, { connectionId: 'c2' }] });
    dynamo.on(QueryCommand, { IndexName: 'gsi1' }).resolves({ Items: [] });
    dynamo.on(DeleteCommand).resolves({});
    gateway
      .on(DeleteConnectionCommand, { ConnectionId: 'c1' })
      .rejects(Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    gateway.on(DeleteConnectionCommand, { ConnectionId: 'c2' }).resolves({});
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => {});

    await closeConnectionsOf('U1');

    expect(
      gateway
        .commandCalls(DeleteConnectionCommand)
        .map((c) => c.args[0].input.ConnectionId)
        .sort(),
    ).toEqual(['c1', 'c2']);
    const deleted = dynamo.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key?.pk);
    expect(deleted.sort()).toEqual(['CONN#c1', 'CONN#c2']);
    expect(errors).toHaveBeenCalledWith('closing a connection failed', expect.objectContaining({ connectionId: 'c1' }));
    errors.mockRestore();
  });
});
