// The HTTP API's Lambda authorizer (simple responses): verifies the access token, reads nothing else.
// A bad token is let through *without* a principal rather than refused here: API Gateway would answer
// its own 403 `{"message":"Forbidden"}`, while the route's pipeline answers the contract's 401
// `unauthenticated` and writes the request's audit line. Every `auth: true` route goes through
// httpHandler, which refuses a request without a principal.
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { bearerToken, verifyAccessToken } from '../../shared/auth/access-tokens.js';
import { type AuthorizerContext, toAuthorizerContext } from '../../shared/auth/principal.js';

export async function handler(
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> {
  const token = bearerToken(event.headers?.authorization ?? event.identitySource?.[0]);
  const principal = token ? await verifyAccessToken(token) : undefined;
  return { isAuthorized: true, context: principal ? toAuthorizerContext(principal) : {} };
}
