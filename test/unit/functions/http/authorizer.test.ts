import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../../../functions/http/authorizer.js';
import { issueAccessToken } from '../../../../shared/auth/access-tokens.js';
import { fromAuthorizerContext } from '../../../../shared/auth/principal.js';
import type { Principal } from '../../../../shared/domain/roles.js';

beforeAll(() => {
  process.env.JWT_SECRET = 'unit-test-jwt-secret-for-the-authorizer-0001';
});

const event = (authorization?: string) =>
  ({
    type: 'REQUEST',
    headers: authorization ? { authorization } : {},
    identitySource: authorization ? [authorization] : [],
  }) as unknown as APIGatewayRequestAuthorizerEventV2;

const principal: Principal = {
  userId: 'u1',
  role: 'agent',
  groupIds: ['g1', 'g2'],
  name: 'Carla',
  email: 'c@example.com',
};

describe('HTTP authorizer', () => {
  it('hands a valid token’s principal to the route', async () => {
    const answer = await handler(event(`Bearer ${await issueAccessToken(principal)}`));
    expect(answer.isAuthorized).toBe(true);
    expect(fromAuthorizerContext(answer.context)).toEqual(principal);
  });

  it('passes a bad token on with no principal, so the route answers the contract’s 401', async () => {
    for (const header of [
      'Bearer nope',
      'Basic dXNlcjpwdw==',
      `Bearer ${(await issueAccessToken(principal)).slice(0, -2)}xx`,
    ]) {
      const answer = await handler(event(header));
      expect(answer).toEqual({ isAuthorized: true, context: {} });
      expect(fromAuthorizerContext(answer.context)).toBeUndefined();
    }
  });
});
