// The answer schemas (shared/domain/resources.ts) and the types the code answers with must not part: each
// pair below must be assignable both ways, or `npm run typecheck` fails here. The runtime checks make sure
// the schemas accept what the domain's own view functions build.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { issueConnectionTicket } from '../../../../shared/auth/connection-tickets.js';
import type { lookupInvite } from '../../../../shared/auth/invitations.js';
import type { Session } from '../../../../shared/auth/sessions.js';
import type { AssignmentPolicy } from '../../../../shared/domain/assignment.js';
import type { Attachment } from '../../../../shared/domain/attachments.js';
import type { CannedReply } from '../../../../shared/domain/canned-replies.js';
import type { Actor, TicketEvent } from '../../../../shared/domain/events.js';
import type { Group } from '../../../../shared/domain/groups.js';
import { type Invite, type InviteView, inviteView } from '../../../../shared/domain/invites.js';
import {
  type ActorResource,
  type AssignmentPolicyResource,
  type AttachmentResource,
  type CannedReplyResource,
  type ConnectionTicketAnswer,
  type DownloadAnswer,
  type ErrorResource,
  type EventResource,
  type GroupResource,
  type InviteLookupAnswer,
  InviteResource,
  type SessionAnswer,
  type SlaPolicyResource,
  type TicketResource,
  TopicResource,
  type UploadAnswer,
  type UserResource,
} from '../../../../shared/domain/resources.js';
import type { SlaPolicy } from '../../../../shared/domain/sla/policy.js';
import type { Ticket } from '../../../../shared/domain/tickets.js';
import { topics } from '../../../../shared/domain/topics.js';
import type { UserView } from '../../../../shared/domain/users.js';
import type { ErrorCode } from '../../../../shared/errors.js';
import type { createUpload, downloadAttachment } from '../../../../shared/tickets/attachments.js';
import type * as z from '../../../../shared/zod.js';

/** `true` only when A and B are assignable both ways (a field missing, extra or of another type breaks it). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Answer<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

describe('answer schemas', () => {
  it('describe exactly the types the code answers with', () => {
    expectTypeOf<Same<z.output<typeof TicketResource>, Ticket>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof EventResource>, TicketEvent>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof ActorResource>, Actor>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof AttachmentResource>, Attachment>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof UserResource>, UserView>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof GroupResource>, Group>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof InviteResource>, InviteView>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof SessionAnswer>, Session>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof CannedReplyResource>, CannedReply>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof SlaPolicyResource>, SlaPolicy>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof AssignmentPolicyResource>, AssignmentPolicy>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof InviteLookupAnswer>, Answer<typeof lookupInvite>>>().toEqualTypeOf<true>();
    expectTypeOf<
      Same<z.output<typeof ConnectionTicketAnswer>, Answer<typeof issueConnectionTicket>>
    >().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof UploadAnswer>, Answer<typeof createUpload>>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof DownloadAnswer>, Answer<typeof downloadAttachment>>>().toEqualTypeOf<true>();
    expectTypeOf<Same<z.output<typeof ErrorResource>['code'], ErrorCode>>().toEqualTypeOf<true>();
  });

  it('accept the topics and an invite as the domain builds them', () => {
    for (const topic of topics) expect(TopicResource.safeParse(topic).success).toBe(true);
    const invite: Invite = {
      id: '01J00000000000000000000000',
      groupId: '01J00000000000000000000001',
      email: 'ana@example.com',
      locale: 'pt-BR',
      status: 'pending',
      expiresAt: '2026-01-08T00:00:00.000Z',
      createdAt: '2026-01-01T00:00:00.000Z',
      createdBy: '01J00000000000000000000002',
      delivery: { status: 'failed', attempts: 3, lastError: 'SES refused' },
    };
    expect(InviteResource.parse(inviteView(invite, new Date('2026-02-01T00:00:00Z')))).toMatchObject({
      status: 'expired',
    });
  });
});
