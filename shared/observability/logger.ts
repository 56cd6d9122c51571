// One Logger per container, imported by the HTTP and WebSocket pipelines. The request log line is the
// audit record (architecture.md, "Request log"); its fields are built in one place, requestLogLine.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Principal } from '../domain/roles.js';

export const logger = new Logger({ serviceName: 'atende' });

export type Outcome = 'success' | 'denied' | 'invalid' | 'error';

export interface RequestLogFields {
  requestId: string;
  clientRequestId?: string;
  lambdaRequestId?: string;
  route: string;
  status: number;
  latencyMs: number;
  principal?: Pick<Principal, 'userId' | 'role' | 'groupIds'>;
  action: string;
  resource?: { type: string; id?: string };
  errorCode?: string;
  sourceIp?: string;
  userAgent?: string;
  connectionId?: string;
}

let coldStart = true;

/** 401/403/404 mean the caller was kept out; 400/409/410/413/415 that what it sent was refused. */
export function outcomeOf(status: number): Outcome {
  if (status >= 500) return 'error';
  if (status === 401 || status === 403 || status === 404 || status === 429) return 'denied';
  if (status >= 400) return 'invalid';
  return 'success';
}

export function logRequest(fields: RequestLogFields): void {
  const { principal, ...rest } = fields;
  logger.info('request', {
    kind: 'request',
    ...rest,
    principal: principal ? { userId: principal.userId, role: principal.role, groupIds: principal.groupIds } : undefined,
    outcome: outcomeOf(fields.status),
    traceId: process.env._X_AMZN_TRACE_ID,
    coldStart,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  });
  coldStart = false;
}
