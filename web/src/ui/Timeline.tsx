// A ticket's history: messages (and, for staff, internal notes, marked as such) as speech bubbles, everything
// else (status, assignment, files, access, missed SLA targets) as short lines between them. Used by the
// ticket page, the agent console and the chat widget.
import { useEffect, useState } from 'preact/hooks';
import { isAgentRole } from '../../../shared/domain/roles.js';
import { api } from '../api/client.js';
import type { Attachment, TicketEvent } from '../api/types.js';
import { formatDateTime, formatSize, formatTime, t, tOr } from '../i18n/index.js';
import { errorText, priorityLabel, statusLabel } from './common.js';

const attachmentsOf = (event: TicketEvent): Attachment[] => ('attachments' in event.data ? event.data.attachments : []);

/** One line saying what happened, for every event that is not a message. */
export function describeEvent(
  event: TicketEvent,
  meId?: string,
  topicName: (id: string) => string = (id) => id,
): string {
  const mine = event.actor.id === meId;
  const who = mine ? t('timeline.you') : event.actor.name || t('timeline.someone');
  switch (event.type) {
    case 'created':
      return t('timeline.created', { who });
    case 'status_changed':
      return t('timeline.status_changed', { who, status: statusLabel(event.data.to) });
    case 'priority_changed':
      return t('timeline.priority_changed', { who, priority: priorityLabel(event.data.to) });
    case 'topic_changed':
      return t('timeline.topic_changed', { who, topic: topicName(event.data.to) });
    case 'assigned': {
      const to = event.data.to;
      if (!to) return t('timeline.unassigned', { who });
      if (to === event.actor.id) return mine ? t('timeline.took_you') : t('timeline.took', { who });
      if (event.data.auto) return to === meId ? t('timeline.assigned_auto_you') : t('timeline.assigned_auto');
      if (to === meId) return t('timeline.assigned_to_you', { who });
      return t('timeline.assigned', { who });
    }
    case 'attachment_added':
      return t('timeline.attachment_added', { who });
    case 'access_granted':
      return t('timeline.access_granted', { who, email: event.data.email });
    case 'follower_added':
    case 'follower_removed':
      return t(`timeline.${event.type}`, { who });
    case 'sla_breached':
      return t('timeline.sla_breached', {
        target: t(event.data.target === 'first_response' ? 'sla.first_response' : 'sla.resolution'),
      });
    case 'satisfaction':
      return t('timeline.satisfaction', { who, score: event.data.score });
    default:
      return tOr(`timeline.${event.type}`, event.type);
  }
}

const isImage = (attachment: Attachment) => attachment.contentType.startsWith('image/');

/** A short-lived download address of a file the caller may see (GET /attachments/{id}). */
const downloadUrlOf = async (attachment: Attachment) =>
  (await api.get<{ downloadUrl: string }>(`/attachments/${attachment.id}`)).downloadUrl;

/**
 * A file on the timeline: an image as a thumbnail, anything else as its name; either opens the file. The
 * thumbnail is fetched (the page's CSP lets images come only from the app itself, data: and blob:, while
 * fetches may reach the evidence bucket) and shown from a blob: address it frees when it goes.
 */
export function AttachmentLink(props: { attachment: Attachment }) {
  const [error, setError] = useState('');
  const [thumbnail, setThumbnail] = useState('');
  const { attachment } = props;
  useEffect(() => {
    if (!isImage(attachment)) return;
    let address = '';
    let gone = false;
    downloadUrlOf(attachment)
      .then((url) => fetch(url))
      .then((response) => (response.ok ? response.blob() : undefined))
      .then((blob) => {
        if (!blob || gone) return;
        address = URL.createObjectURL(blob);
        setThumbnail(address);
      })
      // Without a thumbnail the file's name still opens it.
      .catch(() => undefined);
    return () => {
      gone = true;
      if (address) URL.revokeObjectURL(address);
    };
  }, [attachment.id]);
  return (
    <span class={thumbnail ? 'attachment attachment-image' : 'attachment'}>
      <button
        type="button"
        class="btn-link"
        onClick={async () => {
          setError('');
          try {
            window.open(await downloadUrlOf(attachment), '_blank', 'noopener');
          } catch (e) {
            setError(errorText(e));
          }
        }}
      >
        {thumbnail ? <img class="thumbnail" src={thumbnail} alt="" /> : null}
        {attachment.fileName}
      </button>
      {attachment.size ? <span class="muted"> ({formatSize(attachment.size)})</span> : null}
      {error ? (
        <span class="field-error" role="alert">
          {' '}
          {error}
        </span>
      ) : null}
    </span>
  );
}

export interface LocalMessage {
  clientMessageId: string;
  body: string;
  state: 'queued' | 'sent';
  createdAt: string;
}

export function Timeline(props: {
  events: TicketEvent[];
  meId?: string;
  topicName?: (id: string) => string;
  pending?: LocalMessage[];
  compact?: boolean;
  label: string;
}) {
  const { events, meId, pending = [] } = props;
  return (
    <ol class={props.compact ? 'timeline timeline-compact' : 'timeline'} aria-label={props.label}>
      {events.map((event) =>
        event.type === 'message' || event.type === 'note' ? (
          <li
            key={event.id}
            class={event.type === 'note' ? 'msg msg-note' : event.actor.id === meId ? 'msg msg-mine' : 'msg'}
            data-event-id={event.id}
          >
            <div class="msg-meta">
              {/* Staff-only: the server never sends a note to anyone else (shared/domain/visibility.ts). */}
              {event.type === 'note' ? <span class="note-label">{t('note.label')} · </span> : null}
              <span class="msg-author">{event.actor.id === meId ? t('timeline.you') : event.actor.name}</span>
              {isAgentRole(event.actor.role) ? <span class="msg-role"> · {t('timeline.support')}</span> : null}{' '}
              <time dateTime={event.createdAt} title={formatDateTime(event.createdAt)}>
                {props.compact ? formatTime(event.createdAt) : formatDateTime(event.createdAt)}
              </time>
            </div>
            <p class="msg-body">{event.data.body}</p>
            {attachmentsOf(event).map((a) => (
              <AttachmentLink key={a.id} attachment={a} />
            ))}
            {props.compact && event.actor.id === meId ? (
              <span class="msg-state msg-state-delivered">{t('chat.delivered')}</span>
            ) : null}
          </li>
        ) : (
          <li key={event.id} class="sys" data-event-id={event.id}>
            <span>{describeEvent(event, meId, props.topicName)}</span>{' '}
            {event.type === 'satisfaction' && event.data.comment ? <q>{event.data.comment}</q> : null}{' '}
            {attachmentsOf(event).map((a) => (
              <AttachmentLink key={a.id} attachment={a} />
            ))}{' '}
            <time dateTime={event.createdAt} class="muted">
              {formatDateTime(event.createdAt)}
            </time>
          </li>
        ),
      )}
      {pending.map((message) => (
        <li key={message.clientMessageId} class="msg msg-mine msg-pending">
          <div class="msg-meta">
            <span class="msg-author">{t('timeline.you')}</span>
          </div>
          <p class="msg-body">{message.body}</p>
          <span class={`msg-state msg-state-${message.state}`}>
            {message.state === 'queued' ? t('chat.queued') : t('chat.sent')}
          </span>
        </li>
      ))}
    </ol>
  );
}
