// The WebSocket API's `$connect` authorizer (REQUEST): spends the one-time connection ticket and allows
// the connection as the principal it was issued to. A missing, used or expired ticket is refused with
// 401 (API Gateway's answer to an authorizer that throws `Unauthorized`), and that refusal is logged,
// since no route handler will run to log it.
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { redeemConnectionTicket } from '../../shared/auth/connection-tickets.js';
import { toAuthorizerContext } from '../../shared/auth/principal.js';
import { logRequest } from '../../shared/observability/logger.js';
import { connectionTicketParameter } from '../../shared/ws/protocol.js';

export async function handler(
  event: APIGatewayRequestAuthorizerEvent,
  context?: Context,
): Promise<APIGatewayAuthorizerResult> {
  const startedAt = Date.now();
  const ticket = event.queryStringParameters?.[connectionTicketParameter];
  const principal = ticket ? await redeemConnectionTicket(ticket) : undefined;
  if (!principal) {
    logRequest({
      requestId: event.requestContext.requestId,
      lambdaRequestId: context?.awsRequestId,
      route: 'ws $connect',
      status: 401,
      latencyMs: Date.now() - startedAt,
      action: 'connection.authorize',
      errorCode: 'unauthenticated',
      sourceIp: event.requestContext.identity?.sourceIp,
      userAgent: event.headers?.['User-Agent'] ?? event.headers?.['user-agent'],
      connectionId: event.requestContext.connectionId,
    });
    throw new Error('Unauthorized');
  }
  return {
    principalId: principal.userId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    context: toAuthorizerContext(principal),
  };
}
