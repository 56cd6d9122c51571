import { type Principal, type Role, roles } from '../domain/roles.js';

// API Gateway passes the WebSocket $connect authorizer's context to the integration as flat values, so group ids travel
// comma-joined. These two functions are the only place that knows that.

export type AuthorizerContext = Record<string, string>;

export function toAuthorizerContext(principal: Principal): AuthorizerContext {
  return {
    userId: principal.userId,
    role: principal.role,
    groupIds: principal.groupIds.join(','),
    name: principal.name,
    email: principal.email,
    ...(principal.accessRevision === undefined ? {} : { accessRevision: String(principal.accessRevision) }),
  };
}

export function fromAuthorizerContext(context: unknown): Principal | undefined {
  if (!context || typeof context !== 'object') return undefined;
  const c = context as Record<string, unknown>;
  if (typeof c.userId !== 'string' || !roles.includes(c.role as Role)) return undefined;
  return {
    userId: c.userId,
    role: c.role as Role,
    groupIds: typeof c.groupIds === 'string' && c.groupIds ? c.groupIds.split(',') : [],
    name: typeof c.name === 'string' ? c.name : '',
    email: typeof c.email === 'string' ? c.email : '',
    ...(typeof c.accessRevision === 'string' && /^\d+$/.test(c.accessRevision)
      ? { accessRevision: Number(c.accessRevision) }
      : {}),
  };
}
