// What each route and frame answers, keyed by the `action` its handler declares (functions/http/…,
// functions/ws/…). The handlers say what they accept (their `contract`); what they answer is written here
// once, from the schemas of shared/domain/resources.ts, and the integration tests hold every real answer to
// it (test/support/contract.ts). The error codes listed are those the route's business step may answer
// beyond what its pipeline already implies (validation, sign-in, roles, body limits: see openapi.ts).
import {
  AssignmentPolicyResource,
  CannedReplyAnswer,
  CannedReplyResource,
  CommentResource,
  ConnectionTicketAnswer,
  DataExportAnswer,
  DownloadAnswer,
  ErasureAnswer,
  ErasureResource,
  EventAnswer,
  EventResource,
  GroupAnswer,
  GroupResource,
  HealthAnswer,
  InviteAnswer,
  InviteLookupAnswer,
  InviteResource,
  List,
  Page,
  RetentionPolicyResource,
  SessionAnswer,
  SlaPolicyResource,
  SummaryAnswer,
  SuppressionResource,
  TicketAnswer,
  TicketResource,
  TopicResource,
  UploadAnswer,
  UserAnswer,
  UserResource,
} from '../../shared/domain/resources.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { Schema } from '../../shared/validation.js';

export interface HttpAnswer {
  status: 200 | 201 | 202 | 204;
  /** Its body; none for 202 and 204. */
  body?: Schema;
  summary: string;
  errors?: readonly ErrorCode[];
  /** Request headers the route reads. */
  headers?: readonly { name: string; description: string; required?: boolean }[];
  /** The answer carries the ticket's version as `etag`. */
  etag?: boolean;
  /** The same answer as CSV with `accept: text/csv`: one column per field, dotted names. */
  csv?: boolean;
}

const idempotencyKey = {
  name: 'idempotency-key',
  description: 'The same key with the same body within 24 hours answers with the same ticket, never a second one.',
};
const ifMatch = {
  name: 'if-match',
  description:
    "The ticket's `version` the change was made on (its `etag`); a stale one is answered 409. Without it the change applies to whatever version is current.",
};

/** The lists' answers, named once so the reference shows each as one component. */
export const lists = {
  TicketPage: Page(TicketResource),
  EventPage: Page(EventResource),
  GroupPage: Page(GroupResource),
  UserList: List(UserResource),
  InviteList: List(InviteResource),
  TicketList: List(TicketResource),
  TopicList: List(TopicResource),
  SuppressionPage: Page(SuppressionResource),
  CannedReplyList: List(CannedReplyResource),
  CommentList: List(CommentResource),
};

export const httpAnswers: Record<string, HttpAnswer> = {
  'health.check': { status: 200, body: HealthAnswer, summary: 'The API and its table are reachable' },
  'auth.login': {
    status: 200,
    body: SessionAnswer,
    summary: 'Sign in with e-mail and password',
    errors: ['invalid_credentials', 'rate_limited'],
  },
  'auth.refresh': {
    status: 200,
    body: SessionAnswer,
    summary: 'Trade a refresh token for a new session (the token is single-use)',
    errors: ['unauthenticated'],
  },
  'auth.logout': { status: 204, summary: 'End the session of a refresh token' },
  'auth.logout_all': {
    status: 204,
    summary: 'End every session and live connection of the caller (sign out everywhere)',
  },
  'auth.platform': {
    status: 200,
    body: SessionAnswer,
    summary: "Sign in with a token the host platform signed (role platform_user unless the e-mail is a portal user's)",
    errors: ['unauthenticated'],
  },
  'auth.password_reset': { status: 202, summary: 'E-mail a reset link if the account exists (always 202)' },
  'auth.password_reset_confirm': { status: 204, summary: 'Choose a new password with a reset link', errors: ['gone'] },
  'me.get': { status: 200, body: UserAnswer, summary: 'The signed-in person' },
  'me.update': { status: 200, body: UserAnswer, summary: "The caller's name and e-mail notifications" },
  'me.presence': {
    status: 204,
    summary: 'An agent says whether they take tickets (online, away); without a connection they are offline',
  },
  'me.data_export': {
    status: 200,
    body: DataExportAnswer,
    summary:
      'Everything Atende holds about the caller, as one JSON document (LGPD art. 18): inline, or a link valid 5 minutes when it is large',
  },
  'user.data_export': {
    status: 200,
    body: DataExportAnswer,
    summary: "A person's data export, as they would see it (the request log names who exported whom)",
    errors: ['not_found'],
  },
  'user.erase': {
    status: 202,
    body: ErasureAnswer,
    summary:
      'Erase a person: disabled and signed out everywhere now; a job then replaces what identifies them everywhere (follow it with GET /erasures/{id})',
    errors: ['not_found', 'conflict'],
  },
  'erasure.get': {
    status: 200,
    body: ErasureResource,
    summary: "An erasure's progress: pending or done, and what it changed so far",
    errors: ['not_found'],
  },
  'retention_policy.get': {
    status: 200,
    body: RetentionPolicyResource,
    summary: 'After how many days closed tickets are anonymized (absent: never)',
  },
  'retention_policy.update': {
    status: 200,
    body: RetentionPolicyResource,
    summary: 'Set after how many days closed tickets are anonymized; without the field, never',
  },
  'staff.list': { status: 200, body: lists.UserList, summary: 'Every agent, admin and auditor, active and disabled' },
  'staff.invite': {
    status: 201,
    body: InviteAnswer,
    summary: 'Invite someone to the support team as an agent, admin or auditor',
    errors: ['conflict'],
  },
  'staff.invites': { status: 200, body: lists.InviteList, summary: 'Staff invitations' },
  'user.update': {
    status: 200,
    body: UserAnswer,
    summary: "Change a person's name, staff role or status (disabling ends every session and connection)",
    errors: ['not_found', 'conflict'],
  },
  'group.update': {
    status: 200,
    body: GroupAnswer,
    summary: "Change a group's name or CNPJ",
    errors: ['not_found'],
  },
  'group.member_remove': {
    status: 204,
    summary: 'Remove a person from a group: its tickets answer 404 to them on their next request',
    errors: ['forbidden', 'not_found'],
  },
  'group.create': { status: 201, body: GroupAnswer, summary: 'Create an access group' },
  'group.list': { status: 200, body: lists.GroupPage, summary: 'Groups: staff see all, customers their own' },
  'group.members': { status: 200, body: lists.UserList, summary: "A group's members", errors: ['not_found'] },
  'invite.create': {
    status: 201,
    body: InviteAnswer,
    summary: 'Invite someone to a group (the e-mail goes through the outbox)',
    errors: ['forbidden', 'not_found', 'conflict'],
  },
  'invite.list': {
    status: 200,
    body: lists.InviteList,
    summary: "A group's invitations",
    errors: ['forbidden', 'not_found'],
  },
  'invite.resend': {
    status: 200,
    body: InviteAnswer,
    summary: 'Send an invitation again with a new link (the old one stops working)',
    errors: ['forbidden', 'not_found', 'conflict'],
  },
  'invite.revoke': {
    status: 204,
    summary: 'Revoke an invitation',
    errors: ['forbidden', 'not_found', 'conflict'],
  },
  'invite.lookup': {
    status: 200,
    body: InviteLookupAnswer,
    summary: 'What an invitation link is for, before accepting it',
    errors: ['gone'],
  },
  'invite.accept': {
    status: 201,
    body: SessionAnswer,
    summary:
      "Accept an invitation: join the group (or the staff) and sign in; an existing account's password is required",
    // An existing account's password is checked as a sign-in's is, lockout included.
    errors: ['gone', 'conflict', 'invalid_credentials', 'rate_limited'],
  },
  'realtime.ticket': {
    status: 201,
    body: ConnectionTicketAnswer,
    summary: 'A one-time ticket to open a WebSocket connection with (`?ticket=`)',
  },
  'suppression.list': {
    status: 200,
    body: lists.SuppressionPage,
    summary: 'Addresses nothing is sent to after a bounce or a complaint',
  },
  'suppression.clear': {
    status: 204,
    summary: 'Let e-mail reach a suppressed address again',
    errors: ['not_found'],
  },
  'canned_reply.list': {
    status: 200,
    body: lists.CannedReplyList,
    summary: 'Canned replies, by title (`topic` narrows to a topic and those for any; `q` matches title words)',
  },
  'canned_reply.create': {
    status: 201,
    body: CannedReplyAnswer,
    summary: 'Save a canned reply (at most 500)',
    errors: ['conflict'],
  },
  'canned_reply.update': {
    status: 200,
    body: CannedReplyAnswer,
    summary: 'Change a canned reply',
    errors: ['not_found'],
  },
  'canned_reply.delete': { status: 204, summary: 'Delete a canned reply', errors: ['not_found'] },
  'sla_policy.get': {
    status: 200,
    body: SlaPolicyResource,
    summary: 'The SLA policy: business calendar and, per priority, first-response and resolution targets',
  },
  'sla_policy.update': {
    status: 200,
    body: SlaPolicyResource,
    summary: 'Replace the SLA policy',
  },
  'assignment_policy.get': {
    status: 200,
    body: AssignmentPolicyResource,
    summary: 'The assignment policy: manual, or round-robin to online agents under a cap of open tickets',
  },
  'assignment_policy.update': {
    status: 200,
    body: AssignmentPolicyResource,
    summary: 'Replace the assignment policy (switching to round-robin hands out the chats that wait)',
  },
  'topic.list': { status: 200, body: lists.TopicList, summary: 'The topics a ticket may be about' },
  'ticket.create': {
    status: 201,
    body: TicketAnswer,
    summary: 'Open a ticket',
    errors: ['forbidden', 'not_found', 'conflict'],
    headers: [idempotencyKey],
    etag: true,
  },
  'ticket.list': {
    status: 200,
    body: lists.TicketPage,
    summary:
      'Tickets the caller may see, newest first (`q` searches subject and description); `sort=due`: staff, open tickets by SLA due time',
    errors: ['forbidden'],
  },
  'ticket.get': { status: 200, body: TicketAnswer, summary: 'A ticket', errors: ['not_found'], etag: true },
  'ticket.update': {
    status: 200,
    body: TicketAnswer,
    summary: "Change a ticket's status, priority, assignee or topic",
    errors: ['not_found', 'forbidden', 'conflict'],
    headers: [ifMatch],
    etag: true,
  },
  'ticket.events': {
    status: 200,
    body: lists.EventPage,
    summary: "A ticket's timeline, oldest first",
    errors: ['not_found'],
  },
  'ticket.message': {
    status: 201,
    body: EventAnswer,
    summary: 'Post a message on a ticket (pushed to its WebSocket subscribers)',
    errors: ['not_found', 'forbidden'],
  },
  'ticket.note': {
    status: 201,
    body: EventAnswer,
    summary:
      'Write an internal note on a ticket: only agents, admins and auditors ever see it (timeline, `missed`, pushes, downloads); nobody is e-mailed',
    errors: ['not_found', 'forbidden'],
  },
  'ticket.attach': {
    status: 201,
    body: EventAnswer,
    summary: 'Attach uploaded files to a ticket',
    errors: ['not_found', 'forbidden'],
  },
  'ticket.follow': {
    status: 204,
    summary: 'Follow a ticket: its answers are e-mailed to you as to its requester (recorded as follower_added)',
    errors: ['not_found', 'conflict'],
  },
  'ticket.unfollow': {
    status: 204,
    summary: 'Stop following a ticket (recorded as follower_removed)',
    errors: ['not_found'],
  },
  'notifications.unsubscribe': {
    status: 204,
    summary:
      "Turn off the e-mail notifications of a notification's unsubscribe token; as JSON `{token}`, or a mail client's RFC 8058 one-click POST (`List-Unsubscribe=One-Click`, token in the query). The same answer whether or not the token is genuine",
  },
  'ticket.grant_access': {
    status: 201,
    body: InviteAnswer,
    summary: 'Invite the requester of a portal_access ticket to a group',
    errors: ['not_found', 'conflict'],
  },
  'ticket.rate': {
    status: 201,
    body: EventAnswer,
    summary:
      'Rate a resolved ticket 1–5 within 14 days of its resolution (requester only; a new rating replaces the earlier one)',
    errors: ['not_found', 'forbidden', 'conflict'],
  },
  'ticket.rate_by_link': {
    status: 201,
    body: EventAnswer,
    summary: "Rate a ticket with the resolution e-mail's signed link (`token`), without signing in",
    errors: ['gone', 'conflict'],
  },
  'report.summary': {
    status: 200,
    body: SummaryAnswer,
    summary:
      'Created, resolved, first-response and resolution p50/p90 (minutes, within one histogram bucket), SLA attainment and satisfaction per day, topic, group or agent, from aggregates kept as tickets change; at most 366 days',
    headers: [{ name: 'accept', description: '`text/csv` answers the same rows as CSV (dotted column names).' }],
    csv: true,
  },
  'report.comments': {
    status: 200,
    body: lists.CommentList,
    summary: "The latest comments of the period's satisfaction ratings (newest first, at most 20)",
  },
  'attachment.create': {
    status: 201,
    body: UploadAnswer,
    summary: 'Announce a file and get a presigned S3 form to upload it with',
  },
  'attachment.download': {
    status: 200,
    body: DownloadAnswer,
    summary: 'A presigned download link (5 minutes)',
    errors: ['not_found'],
  },
  'queue.list': { status: 200, body: lists.TicketList, summary: 'Open chats nobody has taken, oldest first' },
};
