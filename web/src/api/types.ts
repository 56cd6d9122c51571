// The shapes of the public API (../shared/api.md) as the web app reads them.

export type Role = 'customer' | 'platform_user' | 'agent' | 'admin' | 'auditor';

export interface GroupRef {
  id: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  groups: GroupRef[];
  createdAt: string;
}

/** The answer of login, refresh, platform sign-in and invitation acceptance. */
export interface SessionAnswer {
  accessToken: string;
  refreshToken: string;
  /** Seconds. */
  expiresIn: number;
  user: User;
}

export interface Group {
  id: string;
  name: string;
  taxId?: string;
  createdAt?: string;
}

export type InviteStatus = 'pending' | 'accepted' | 'revoked' | 'expired';
export type DeliveryStatus = 'queued' | 'sent' | 'failed';

export interface Invite {
  id: string;
  groupId: string;
  email: string;
  status: InviteStatus;
  expiresAt: string;
  createdAt: string;
  createdBy: string;
  delivery: { status: DeliveryStatus; attempts: number; lastError?: string };
}

export interface InviteLookup {
  email: string;
  groupName: string;
  expiresAt: string;
}

export interface Topic {
  id: string;
  label: { 'pt-BR': string; en: string };
}

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];
export const statuses = ['new', 'open', 'pending_customer', 'resolved', 'closed'] as const;
export type Status = (typeof statuses)[number];
export type Channel = 'portal' | 'chat';

export interface DocumentRef {
  type: string;
  id: string;
  title?: string;
  url?: string;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  createdAt?: string;
}

export interface Ticket {
  id: string;
  number: number;
  groupId?: string;
  requesterId: string;
  subject: string;
  description: string;
  topic: string;
  priority: Priority;
  status: Status;
  channel: Channel;
  documentRef?: DocumentRef;
  assigneeId?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  lastMessageAt?: string;
  attachments: Attachment[];
}

export type EventType =
  | 'created'
  | 'message'
  | 'status_changed'
  | 'assigned'
  | 'priority_changed'
  | 'topic_changed'
  | 'attachment_added'
  | 'access_granted';

export interface TicketEvent {
  id: string;
  ticketId: string;
  type: EventType;
  actor: { id: string; name: string; role: Role };
  createdAt: string;
  /** Its shape depends on `type`; read it with the helpers in ui/Timeline.tsx. */
  data: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; issue: string }[] };
  requestId?: string;
}
