// THE route table: every HTTP route and WebSocket action, the handler file that serves it, whether it
// needs a signed-in caller and the AWS access its function needs. The CDK stack and the local gateway both
// read this list; nothing else lists routes. What the handlers enforce themselves (body limit, frame limit,
// the WebSocket actions, the connection ticket's query parameter) lives with them in shared/ and is
// imported here, never the other way round, so no Lambda bundle carries this table.
import type { ClientAction } from '../shared/realtime/frames.js';
import type { Partition } from '../shared/store/partitions.js';
import { connectionTicketParameter } from '../shared/ws/protocol.js';

export type BucketAccess = 'read' | 'upload' | 'attach' | 'export' | 'erase';

/** What a function may touch; the stack turns this into its IAM grants (least privilege). */
export interface Access {
  /**
   * `read`: reads only; `write`: reads and writes anywhere; `{ write: [...] }`: reads, and writes only items
   * of those partitions (shared/store/partitions.ts), enforced with `dynamodb:LeadingKeys`.
   */
  table?: 'read' | 'write' | { write: readonly Partition[] };
  /**
   * Evidence bucket: `read` presigns downloads (uploads/ and attachments/); `upload` presigns uploads
   * (uploads/ only); `attach` checks an upload, copies it to attachments/ and deletes it from uploads/;
   * `export` presigns downloads and writes exports/ (a person's data); `erase` lists and deletes every version
   * of files (uploads/, attachments/, exports/). A function serving several routes gets the list of their kinds.
   */
  bucket?: BucketAccess | readonly BucketAccess[];
  mail?: boolean;
  /** May post to WebSocket connections (@connections). */
  connections?: boolean;
  /** Secrets it reads: the JWT signing key and/or the host platform's shared secret. */
  secrets?: ReadonlyArray<'jwt' | 'platform'>;
}

/**
 * The Lambda functions the API routes run in. One function per route made a visit meet a cold start per route
 * it touched (six to ten for a customer); grouped, a customer's or an agent's visit meets two, `portal` and
 * `realtime` (bench/visits.ts measures it, docs/performance.md). Each function's code is a router over its
 * routes' handler files (shared/router.ts), its IAM the union of its routes' `access` (least privilege per
 * function: the administration's mail and secrets are not the portal's, the WebSocket API's writes are its own)
 * and its memory the largest of its routes'.
 * - `portal`: what customers and agents use every day, sign-in and invitations included;
 * - `admin`: the administration: staff, people, groups and their invitations, canned replies, SLA policy,
 *   reports, suppressions (and whatever else only admins and report readers call);
 * - `realtime`: the WebSocket API, its `$connect` authorizer included (every WebSocket route runs in it).
 * A new HTTP route names its function in its row; nothing else needs to change.
 */
export const functionGroups = ['portal', 'admin', 'realtime'] as const;
export type FunctionGroup = (typeof functionGroups)[number];

/** Where every WebSocket route and the `$connect` authorizer run. */
export const realtimeFunction: FunctionGroup = 'realtime';

/** Lambda memory (MB) of a function none of whose routes asks for more. */
export const defaultMemoryMb = 256;

export interface HttpRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'ANY';
  /** API Gateway path syntax: `/tickets/{id}`, or `$default` for what no other route matches. */
  path: string;
  handler: string;
  /** The Lambda function it runs in (see functionGroups). */
  function: FunctionGroup;
  /** Needs a signed-in caller: the handler's pipeline verifies the access token (shared/http/handler.ts). */
  auth: boolean;
  access: Access;
  /** Lambda memory in MB (password hashing needs more); its function gets the largest of its routes'. */
  memory?: number;
}

export interface WsRoute {
  /** `$connect`, `$disconnect`, `$default` or an `action` value (shared/realtime/frames.ts lists them). */
  routeKey: '$connect' | '$disconnect' | '$default' | ClientAction;
  handler: string;
  access: Access;
}

export const httpRoutes = [
  {
    method: 'GET',
    path: '/health',
    handler: 'functions/http/health.ts',
    function: 'portal',
    auth: false,
    access: { table: 'read' },
  },
  // Identity. Routes that hash a password (scrypt N=2^17 needs 128 MiB) get memory, and with it CPU.
  {
    method: 'POST',
    path: '/auth/login',
    handler: 'functions/http/auth/login.ts',
    function: 'portal',
    auth: false,
    access: { table: 'write', secrets: ['jwt'] },
    memory: 1024,
  },
  {
    method: 'POST',
    path: '/auth/refresh',
    handler: 'functions/http/auth/refresh.ts',
    function: 'portal',
    auth: false,
    access: { table: 'write', secrets: ['jwt'] },
  },
  {
    method: 'POST',
    path: '/auth/logout',
    handler: 'functions/http/auth/logout.ts',
    function: 'portal',
    auth: false,
    access: { table: 'write' },
  },
  {
    method: 'POST',
    path: '/auth/platform',
    handler: 'functions/http/auth/platform.ts',
    function: 'portal',
    auth: false,
    access: { table: 'write', secrets: ['jwt', 'platform'] },
  },
  {
    method: 'POST',
    path: '/auth/logout-all',
    handler: 'functions/http/auth/logout-all.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write', connections: true },
  },
  {
    method: 'POST',
    path: '/auth/password-reset',
    handler: 'functions/http/auth/password-reset.ts',
    function: 'portal',
    auth: false,
    access: { table: { write: ['limit', 'outbox'] } },
  },
  {
    method: 'POST',
    path: '/auth/password-reset/confirm',
    handler: 'functions/http/auth/password-reset-confirm.ts',
    function: 'portal',
    auth: false,
    access: { table: 'write', connections: true },
    memory: 1024,
  },
  {
    method: 'GET',
    path: '/me',
    handler: 'functions/http/me.ts',
    function: 'portal',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'PATCH',
    path: '/me',
    handler: 'functions/http/me-update.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write' },
  },
  {
    method: 'PUT',
    path: '/me/presence',
    handler: 'functions/http/me-presence.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write', connections: true },
  },
  // A person's data (LGPD): their export, an admin's export and erasure of them, the retention policy.
  {
    method: 'GET',
    path: '/me/data-export',
    handler: 'functions/http/me-data-export.ts',
    function: 'portal',
    auth: true,
    access: { table: 'read', bucket: 'export' },
  },
  {
    method: 'GET',
    path: '/users/{userId}/data-export',
    handler: 'functions/http/users/data-export.ts',
    function: 'admin',
    auth: true,
    access: { table: 'read', bucket: 'export' },
  },
  {
    method: 'POST',
    path: '/users/{userId}/erase',
    handler: 'functions/http/users/erase.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write', connections: true },
  },
  {
    method: 'GET',
    path: '/erasures/{id}',
    handler: 'functions/http/erasures/get.ts',
    function: 'admin',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/retention-policy',
    handler: 'functions/http/retention-policy/get.ts',
    function: 'admin',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'PUT',
    path: '/retention-policy',
    handler: 'functions/http/retention-policy/put.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write' },
  },
  // People over time: the staff, an admin's changes to a person, leaving a group, editing one.
  {
    method: 'GET',
    path: '/staff',
    handler: 'functions/http/staff/list.ts',
    function: 'admin',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/staff/invites',
    handler: 'functions/http/staff/create-invite.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write', mail: true, secrets: ['jwt'] },
  },
  {
    method: 'GET',
    path: '/staff/invites',
    handler: 'functions/http/staff/list-invites.ts',
    function: 'admin',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'PATCH',
    path: '/users/{userId}',
    handler: 'functions/http/users/update.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write', connections: true },
  },
  {
    method: 'DELETE',
    path: '/groups/{groupId}/members/{userId}',
    handler: 'functions/http/groups/remove-member.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write' },
  },
  {
    method: 'PATCH',
    path: '/groups/{groupId}',
    handler: 'functions/http/groups/update.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write' },
  },
  {
    method: 'POST',
    path: '/groups',
    handler: 'functions/http/groups/create.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write' },
  },
  {
    method: 'GET',
    path: '/groups',
    handler: 'functions/http/groups/list.ts',
    function: 'portal',
    auth: true,
    access: { table: 'read', secrets: ['jwt'] },
  },
  {
    method: 'GET',
    path: '/groups/{groupId}/members',
    handler: 'functions/http/groups/members.ts',
    function: 'admin',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/groups/{groupId}/invites',
    handler: 'functions/http/groups/create-invite.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write', mail: true, secrets: ['jwt'] },
  },
  {
    method: 'GET',
    path: '/groups/{groupId}/invites',
    handler: 'functions/http/groups/list-invites.ts',
    function: 'admin',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/invites/{inviteId}/resend',
    handler: 'functions/http/invites/resend.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write', mail: true, secrets: ['jwt'] },
  },
  {
    method: 'DELETE',
    path: '/invites/{inviteId}',
    handler: 'functions/http/invites/revoke.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write' },
  },
  {
    method: 'GET',
    path: '/invites/lookup',
    handler: 'functions/http/invites/lookup.ts',
    function: 'portal',
    auth: false,
    access: { table: { write: ['limit'] } },
  },
  {
    method: 'POST',
    path: '/invites/accept',
    handler: 'functions/http/invites/accept.ts',
    function: 'portal',
    auth: false,
    access: { table: 'write', secrets: ['jwt'] },
    memory: 1024,
  },
  // Addresses SES reported as bouncing or complaining (shared/mail/suppressions.ts).
  {
    method: 'GET',
    path: '/suppressions',
    handler: 'functions/http/suppressions/list.ts',
    function: 'admin',
    auth: true,
    access: { table: 'read', secrets: ['jwt'] },
  },
  {
    method: 'DELETE',
    path: '/suppressions/{email}',
    handler: 'functions/http/suppressions/clear.ts',
    function: 'admin',
    auth: true,
    access: { table: { write: ['suppression'] } },
  },
  {
    method: 'POST',
    path: '/realtime/ticket',
    handler: 'functions/http/realtime/ticket.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write' },
  },
  // Tickets (the portal). Writes push to WebSocket subscribers; lists sign cursors with a key derived from the JWT key.
  // Every signed-in route reads the caller's current access (shared/auth/current-principal.ts).
  {
    method: 'GET',
    path: '/topics',
    handler: 'functions/http/topics.ts',
    function: 'portal',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/tickets',
    handler: 'functions/http/tickets/create.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write', bucket: 'attach', connections: true },
  },
  {
    method: 'GET',
    path: '/tickets',
    handler: 'functions/http/tickets/list.ts',
    function: 'portal',
    auth: true,
    access: { table: 'read', secrets: ['jwt'] },
  },
  {
    method: 'GET',
    path: '/tickets/{id}',
    handler: 'functions/http/tickets/get.ts',
    function: 'portal',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'PATCH',
    path: '/tickets/{id}',
    handler: 'functions/http/tickets/update.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write', connections: true },
  },
  {
    method: 'GET',
    path: '/tickets/{id}/events',
    handler: 'functions/http/tickets/events.ts',
    function: 'portal',
    auth: true,
    access: { table: 'read', secrets: ['jwt'] },
  },
  {
    method: 'POST',
    path: '/tickets/{id}/messages',
    handler: 'functions/http/tickets/messages.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write', bucket: 'attach', connections: true },
  },
  {
    method: 'POST',
    path: '/tickets/{id}/notes',
    handler: 'functions/http/tickets/notes.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write', bucket: 'attach', connections: true },
  },
  {
    method: 'POST',
    path: '/tickets/{id}/attachments',
    handler: 'functions/http/tickets/attachments.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write', bucket: 'attach', connections: true },
  },
  {
    method: 'PUT',
    path: '/tickets/{id}/followers/me',
    handler: 'functions/http/tickets/follow.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write', connections: true },
  },
  {
    method: 'DELETE',
    path: '/tickets/{id}/followers/me',
    handler: 'functions/http/tickets/unfollow.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write', connections: true },
  },
  // Called by mail clients (RFC 8058 one-click unsubscribe): no sign-in, the token says whose settings.
  {
    method: 'POST',
    path: '/notifications/unsubscribe',
    handler: 'functions/http/notifications/unsubscribe.ts',
    function: 'portal',
    auth: false,
    access: { table: 'write', secrets: ['jwt'] },
  },
  {
    method: 'POST',
    path: '/tickets/{id}/grant-access',
    handler: 'functions/http/tickets/grant-access.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write', mail: true, connections: true, secrets: ['jwt'] },
  },
  {
    method: 'POST',
    path: '/tickets/{id}/satisfaction',
    handler: 'functions/http/tickets/satisfaction.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write', connections: true },
  },
  // The resolution e-mail's one-click rating: its signed token stands for the requester's sign-in.
  {
    method: 'POST',
    path: '/satisfaction',
    handler: 'functions/http/satisfaction.ts',
    function: 'portal',
    auth: false,
    access: { table: 'write', connections: true, secrets: ['jwt'] },
  },
  {
    method: 'GET',
    path: '/reports/summary',
    handler: 'functions/http/reports/summary.ts',
    function: 'admin',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/reports/comments',
    handler: 'functions/http/reports/comments.ts',
    function: 'admin',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/attachments',
    handler: 'functions/http/attachments/create.ts',
    function: 'portal',
    auth: true,
    access: { table: 'write', bucket: 'upload' },
  },
  {
    method: 'GET',
    path: '/attachments/{id}',
    handler: 'functions/http/attachments/get.ts',
    function: 'portal',
    auth: true,
    access: { table: 'read', bucket: 'read' },
  },
  {
    method: 'GET',
    path: '/queue',
    handler: 'functions/http/queue.ts',
    function: 'portal',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/canned-replies',
    handler: 'functions/http/canned-replies/list.ts',
    function: 'portal',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/canned-replies',
    handler: 'functions/http/canned-replies/create.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write' },
  },
  {
    method: 'PATCH',
    path: '/canned-replies/{id}',
    handler: 'functions/http/canned-replies/update.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write' },
  },
  {
    method: 'DELETE',
    path: '/canned-replies/{id}',
    handler: 'functions/http/canned-replies/delete.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write' },
  },
  {
    method: 'GET',
    path: '/sla-policy',
    handler: 'functions/http/sla-policy/get.ts',
    function: 'admin',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'PUT',
    path: '/sla-policy',
    handler: 'functions/http/sla-policy/put.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write' },
  },
  {
    method: 'GET',
    path: '/assignment-policy',
    handler: 'functions/http/assignment-policy/get.ts',
    function: 'admin',
    auth: true,
    access: { table: 'read' },
  },
  {
    method: 'PUT',
    path: '/assignment-policy',
    handler: 'functions/http/assignment-policy/put.ts',
    function: 'admin',
    auth: true,
    access: { table: 'write', connections: true },
  },
  // Without it API Gateway answers an unknown path with its own `{"message":"Not Found"}`.
  {
    method: 'ANY',
    path: '$default',
    handler: 'functions/http/not-found.ts',
    function: 'portal',
    auth: false,
    access: {},
  },
] as const satisfies readonly HttpRoute[];

/**
 * The HTTP API's CORS configuration (origins: the `webOrigin` context deployed, WEB_ORIGINS locally).
 * API Gateway answers preflights itself and adds these headers; the local gateway does the same.
 */
export const httpCors = {
  allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-request-id'],
  exposeHeaders: ['x-request-id', 'retry-after', 'etag'],
  maxAgeSeconds: 600,
} as const;

/**
 * The WebSocket `$connect` authorizer (REQUEST type). Its identity source is the `ticket` query parameter:
 * a `$connect` without it is refused with 401 before the authorizer runs, as API Gateway does.
 */
export const wsAuthorizer = {
  handler: 'functions/ws/authorizer.ts',
  identityQueryParameter: connectionTicketParameter,
  access: { table: { write: ['connectionTicket'] } },
} as const satisfies { handler: string; identityQueryParameter: string; access: Access };

// Publishing routes write too: a push that finds a connection gone deletes it and its subscriptions. Every
// frame takes one request of its connection's rate (a `limit` item, shared/ws/frame-limits.ts).
const connectionItems = ['connection', 'subscription', 'connectionSlot'] as const;
export const wsRoutes = [
  { routeKey: '$connect', handler: 'functions/ws/connect.ts', access: { table: { write: connectionItems } } },
  { routeKey: '$disconnect', handler: 'functions/ws/disconnect.ts', access: { table: { write: connectionItems } } },
  { routeKey: '$default', handler: 'functions/ws/default.ts', access: { table: { write: ['limit'] } } },
  // Every frame but ping and $default reads its sender's current access (shared/auth/current-principal.ts).
  { routeKey: 'chat.start', handler: 'functions/ws/chat-start.ts', access: { table: 'write', connections: true } },
  { routeKey: 'message.send', handler: 'functions/ws/message-send.ts', access: { table: 'write', connections: true } },
  {
    routeKey: 'ticket.subscribe',
    handler: 'functions/ws/ticket-subscribe.ts',
    access: { table: { write: ['limit', 'connection', 'subscription'] } },
  },
  {
    routeKey: 'ticket.unsubscribe',
    handler: 'functions/ws/ticket-unsubscribe.ts',
    access: { table: { write: ['limit', 'connection', 'subscription'] } },
  },
  {
    routeKey: 'typing',
    handler: 'functions/ws/typing.ts',
    access: { table: { write: ['limit', ...connectionItems] }, connections: true },
  },
  { routeKey: 'ping', handler: 'functions/ws/ping.ts', access: { table: { write: ['limit'] } } },
] as const satisfies readonly WsRoute[];

/** Functions run on a schedule (EventBridge deployed; an interval in the local stack). */
export interface ScheduledJob {
  name: string;
  handler: string;
  everyMinutes: number;
  access: Access;
}

export const scheduledJobs = [
  {
    name: 'outbox',
    handler: 'functions/scheduled/outbox.ts',
    everyMinutes: 1,
    access: { table: 'write', mail: true, secrets: ['jwt'] },
  },
  {
    name: 'sla',
    handler: 'functions/scheduled/sla.ts',
    everyMinutes: 1,
    access: { table: 'write', connections: true },
  },
  {
    name: 'erasures',
    handler: 'functions/scheduled/erasures.ts',
    everyMinutes: 1,
    access: { table: 'write', connections: true, bucket: 'erase' },
  },
  {
    name: 'retention',
    handler: 'functions/scheduled/retention.ts',
    everyMinutes: 30,
    access: { table: 'write', bucket: 'erase' },
  },
] as const satisfies readonly ScheduledJob[];

/**
 * Functions SES sets off: `events` gets the configuration set's bounce and complaint events (through
 * EventBridge), `inbound` the mail received at the retired support address (the receipt rule's Lambda
 * action). Locally infra/local/ses-events.ts and infra/local/smtp.ts invoke them with the same events.
 */
export const mailFunctions = {
  // A bounce or complaint: the address's suppression, and the delivery of the invitation the e-mail carried.
  events: { handler: 'functions/mail/events.ts', access: { table: { write: ['suppression', 'invite'] } } },
  // The sender's daily reply marker and the reply's outbox item.
  inbound: {
    handler: 'functions/mail/inbound.ts',
    access: { table: { write: ['autoReply', 'outbox'] }, mail: true, secrets: ['jwt'] },
  },
} as const satisfies Record<string, { handler: string; access: Access }>;

/** Where the receipt rule (and locally the SMTP listener) stores each received message, under its SES id. */
export const inboundMailPrefix = 'inbound/';

export const routeKey = (route: Pick<HttpRoute, 'method' | 'path'>): string =>
  route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
