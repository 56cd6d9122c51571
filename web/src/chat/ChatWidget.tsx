// "Atendimento Online": the chat on every page. A button opens the panel; a topic and a first message
// start a conversation (a ticket with channel "chat"); messages go over the WebSocket with a
// clientMessageId and show "Enviando…" → "Enviado" → "Entregue" (stored by the server, which has pushed
// it to the support team). The open conversation survives reloads and reconnections.
// The same widget is the panel of the chat embedded in a host platform (web/src/embed/frame.tsx): there the host
// page has the button, and the frame says how signing in through the host goes.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { maxTextLength } from '../api/rules.js';
import type { DocumentRef } from '../api/types.js';
import { formatDateTime, formatSize, t, useLang } from '../i18n/index.js';
import { useDraft } from '../lib/drafts.js';
import { acceptAttribute, maxAttachmentBytes } from '../lib/files.js';
import { type TicketSnapshot, useLiveTicket } from '../lib/live-ticket.js';
import { createStore, useStore } from '../lib/store.js';
import { type ChatStarted, realtime } from '../realtime.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import {
  Alert,
  Button,
  errorText,
  Field,
  fieldIds,
  groupChoices,
  Select,
  topicChoices,
  useSubmit,
  useTopics,
} from '../ui/common.js';
import { type LocalMessage, Timeline } from '../ui/Timeline.js';
import { ChatFileRefused, pastedFiles, pastedName, uploadChatFile } from './chat-files.js';

interface PanelState {
  open: boolean;
  /** The document a page asked to talk about (a host platform's document view). */
  documentRef?: DocumentRef;
}

export const chatPanel = createStore<PanelState>({ open: false });

/** Answers that arrived while the panel was closed: the launcher's badge (and the host page's, embedded). */
export const chatUnread = createStore(0);

interface CurrentChat {
  ticketId: string;
  number: number;
}

export interface Embedded {
  /** What the panel shows while there is no session: signing in through the host platform, or that it failed. */
  signedOut: ComponentChildren;
}

export function ChatWidget(props: { embedded?: Embedded }) {
  const { embedded } = props;
  useLang();
  const session = useSession();
  const panel = useStore(chatPanel);
  const [current, setCurrent] = useDraft<CurrentChat | null>('chat.current', null);
  // The timeline chat.started carried: the conversation starts from it instead of loading it again, and
  // an answer given before this page followed the ticket is in it.
  const [started, setStarted] = useState<TicketSnapshot | undefined>(undefined);
  const launcher = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const connection = useStore(realtime.state);

  // Another person signed in in this tab (the portal, or a host platform whose user changed): the conversation
  // on screen was the last person's. The same person back after an expired session keeps theirs.
  const userId = session?.user.id;
  const lastUser = useRef(userId);
  useEffect(() => {
    if (!userId) return;
    if (lastUser.current && lastUser.current !== userId) {
      setCurrent(null);
      setStarted(undefined);
    }
    lastUser.current = userId;
  }, [userId]);

  useEffect(() => {
    if (panel.open) {
      // Put the keyboard in the panel's first field (or the message box of an open conversation).
      requestAnimationFrame(() =>
        panelRef.current?.querySelector<HTMLElement>('textarea, select, input, a, button:not(.chat-close)')?.focus(),
      );
    }
    // Again once signed in (embedded, the panel opens while signing in through the host).
  }, [panel.open, current?.ticketId, session !== null]);

  // Answers that arrive while the panel is closed: the conversation stays mounted (and subscribed).
  const unread = useStore(chatUnread);
  useEffect(() => {
    if (panel.open) chatUnread.set(0);
  }, [panel.open]);

  const close = () => {
    chatPanel.set({ ...panel, open: false });
    launcher.current?.focus();
  };

  return (
    <div class="chat">
      {panel.open || (session && current) ? (
        <section
          ref={panelRef}
          id="chat-panel"
          hidden={!panel.open}
          class="chat-panel"
          role="dialog"
          aria-modal="false"
          aria-labelledby="chat-title"
          onKeyDown={(event) => {
            if (event.key === 'Escape') close();
          }}
        >
          <header class="chat-head">
            <h2 id="chat-title">{t('chat.title')}</h2>
            {session ? (
              <span class={`conn conn-${connection}`} role="status">
                {t(`chat.connection_${connection}`)}
              </span>
            ) : null}
            <button type="button" class="chat-close" onClick={close} aria-label={t('chat.close')}>
              ×
            </button>
          </header>
          {!session ? (
            <div class="chat-body">
              {embedded ? (
                embedded.signedOut
              ) : (
                <>
                  <p>{t('chat.sign_in_first')}</p>
                  <p>
                    <Link href={`/login?next=${encodeURIComponent(location.pathname)}`}>{t('login.submit')}</Link>
                  </p>
                </>
              )}
            </div>
          ) : current ? (
            <Conversation
              key={current.ticketId}
              chat={current}
              initial={started}
              meId={session.user.id}
              embedded={embedded !== undefined}
              onNew={() => setCurrent(null)}
              onIncoming={() => {
                if (!chatPanel.get().open) chatUnread.set(chatUnread.get() + 1);
              }}
            />
          ) : (
            <StartChat
              documentRef={panel.documentRef}
              onDropDocument={() => chatPanel.set({ open: true })}
              onStarted={(snapshot) => {
                setStarted(snapshot);
                setCurrent({ ticketId: snapshot.ticket.id, number: snapshot.ticket.number });
                chatPanel.set({ open: true });
              }}
            />
          )}
        </section>
      ) : null}
      {embedded ? null : (
        <button
          ref={launcher}
          type="button"
          class="chat-launcher"
          aria-expanded={panel.open ? 'true' : 'false'}
          aria-controls="chat-panel"
          onClick={() => (panel.open ? close() : chatPanel.set({ ...panel, open: true }))}
        >
          <svg class="chat-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M4 4h16v11H9l-5 4v-4H4z" fill="currentColor" />
          </svg>
          {t('chat.title')}
          {unread > 0 ? (
            <span class="unread">
              <span aria-hidden="true">{unread}</span>
              <span class="visually-hidden"> ({t('chat.unread', { count: unread })})</span>
            </span>
          ) : null}
        </button>
      )}
    </div>
  );
}

function StartChat(props: {
  documentRef?: DocumentRef;
  onDropDocument: () => void;
  onStarted: (started: TicketSnapshot) => void;
}) {
  const lang = useLang();
  const session = useSession();
  const topics = useTopics();
  const connection = useStore(realtime.state);
  // The clientMessageId makes chat.start safe to send again (after a lost answer): no second chat opens.
  const [draft, setDraft, clearDraft] = useDraft('chat.start', {
    topic: '',
    message: '',
    groupId: '',
    clientMessageId: crypto.randomUUID(),
  });
  const sending = useSubmit();
  const { errors } = sending;
  const groups = session?.user.role === 'customer' ? session.user.groups : [];
  const documentRef = props.documentRef;

  function submit(event: Event) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!draft.topic) problems.topic = t('issue.choose_topic');
    if (!draft.message.trim()) problems.message = t('issue.required');
    if (groups.length > 1 && !draft.groupId) problems.groupId = t('issue.choose_group');
    void sending.submit(
      async () => {
        const groupId = groups.length === 1 ? groups[0]?.id : draft.groupId || undefined;
        const reply = await realtime.request<ChatStarted>('chat.start', {
          topic: draft.topic,
          message: draft.message.trim(),
          clientMessageId: draft.clientMessageId,
          ...(groupId ? { groupId } : {}),
          ...(documentRef ? { documentRef } : {}),
        });
        clearDraft();
        props.onStarted({ ticket: reply.ticket, events: reply.events });
      },
      { problems },
    );
  }

  return (
    <form ref={sending.form} class="chat-body chat-start" onSubmit={submit} noValidate>
      <p>{t('chat.intro')}</p>
      {documentRef ? (
        <p class="chip">
          <span>
            {t('chat.about_document')} <strong>{documentRef.title ?? documentRef.id}</strong>
          </span>
          <button type="button" class="btn-link" onClick={props.onDropDocument}>
            {t('chat.remove_document')}
          </button>
        </p>
      ) : null}
      {sending.error ? <Alert>{sending.error}</Alert> : null}
      {groups.length > 1 ? (
        <Field id="chat-group" label={t('field.group')} error={errors.groupId}>
          <Select
            {...fieldIds('chat-group', errors.groupId)}
            value={draft.groupId}
            empty={t('form.choose')}
            choices={groupChoices(groups)}
            onValue={(groupId) => setDraft({ ...draft, groupId })}
          />
        </Field>
      ) : null}
      <Field id="chat-topic" label={t('field.topic')} error={errors.topic}>
        <Select
          {...fieldIds('chat-topic', errors.topic)}
          value={draft.topic}
          empty={t('form.choose')}
          choices={topicChoices(topics, lang)}
          onValue={(topic) => setDraft({ ...draft, topic })}
        />
      </Field>
      <Field id="chat-first-message" label={t('chat.first_message')} error={errors.message}>
        <textarea
          {...fieldIds('chat-first-message', errors.message)}
          rows={3}
          maxLength={maxTextLength}
          value={draft.message}
          onInput={(e) => setDraft({ ...draft, message: e.currentTarget.value })}
        />
      </Field>
      <Button type="submit" kind="primary" busy={sending.busy} disabled={connection !== 'open'}>
        {t('chat.start')}
      </Button>
    </form>
  );
}

const typingShownMs = 5000;
const typingEveryMs = 3000;

function Conversation(props: {
  chat: CurrentChat;
  initial?: TicketSnapshot;
  meId: string;
  /** In a host platform's frame: the portal opens in a tab of its own. */
  embedded: boolean;
  onNew: () => void;
  onIncoming: () => void;
}) {
  const { ticketId } = props.chat;
  const live = useLiveTicket(ticketId, props.initial);
  const [pending, setPending] = useState<LocalMessage[]>([]);
  const [body, setBody, clearBody] = useDraft(`chat.composer.${ticketId}`, '');
  const [error, setError] = useState('');
  const [typing, setTyping] = useState<string | null>(null);
  const lastTyping = useRef(0);
  const list = useRef<HTMLDivElement>(null);

  useEffect(
    () =>
      realtime.on((frame) => {
        if (frame.type === 'outbox') {
          setPending((items) =>
            items.map((m) => (m.clientMessageId === frame.clientMessageId ? { ...m, state: frame.state } : m)),
          );
        }
        if (frame.type === 'typing' && frame.ticketId === ticketId && frame.actor.id !== props.meId) {
          setTyping(frame.actor.name);
        }
        if (frame.type === 'event' && frame.ticketId === ticketId && frame.event.actor.id !== props.meId) {
          setTyping(null);
          if (frame.event.type === 'message') props.onIncoming();
        }
      }),
    [ticketId],
  );

  useEffect(() => {
    if (!typing) return;
    const timer = setTimeout(() => setTyping(null), typingShownMs);
    return () => clearTimeout(timer);
  }, [typing]);

  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [live.events.length, pending.length]);

  /** Uploads a chosen or pasted file, then sends a message carrying it, named after it. */
  async function sendFile(file: File, fileName: string) {
    setError('');
    let attachmentId: string;
    try {
      attachmentId = await uploadChatFile(file, fileName);
    } catch (e) {
      setError(
        e instanceof ChatFileRefused
          ? t(e.problem === 'type' ? 'upload.bad_type' : e.problem === 'size' ? 'upload.too_big' : 'upload.empty', {
              max: formatSize(maxAttachmentBytes),
            })
          : errorText(e),
      );
      return;
    }
    send(fileName, [attachmentId]);
  }

  function send(text = body.trim(), attachmentIds?: string[]) {
    if (!text) return;
    const clientMessageId = crypto.randomUUID();
    setPending((items) => [
      ...items,
      { clientMessageId, body: text, state: 'queued', createdAt: new Date().toISOString() },
    ]);
    if (!attachmentIds) clearBody();
    setError('');
    realtime.sendMessage(ticketId, text, clientMessageId, attachmentIds).then(
      (event) => {
        live.addEvent(event);
        setPending((items) => items.filter((m) => m.clientMessageId !== clientMessageId));
      },
      (e) => {
        setPending((items) => items.filter((m) => m.clientMessageId !== clientMessageId));
        if (!attachmentIds) setBody(text);
        setError(errorText(e));
      },
    );
  }

  // A pushed copy of a message may arrive before its acknowledgement.
  const shown = pending.filter(
    (m) => !live.events.some((e) => e.type === 'message' && e.data.clientMessageId === m.clientMessageId),
  );
  const ticket = live.ticket;
  const finished = ticket?.status === 'closed' || ticket?.status === 'resolved';

  return (
    <div class="chat-body chat-conversation">
      <div class="chat-ticket">
        <span>{t('chat.ticket_number', { number: props.chat.number })}</span>
        {props.embedded ? (
          <a href={`/tickets/${ticketId}`} target="_blank" rel="noopener">
            {t('chat.open_in_portal')}
          </a>
        ) : (
          <Link href={`/tickets/${ticketId}`}>{t('chat.open_in_portal')}</Link>
        )}
        <Button kind="link" onClick={props.onNew}>
          {t('chat.new')}
        </Button>
      </div>
      <div class="chat-messages" ref={list} aria-live="polite" aria-relevant="additions">
        {live.error ? <Alert>{errorText(live.error)}</Alert> : null}
        <Timeline events={live.events} meId={props.meId} pending={shown} compact label={t('chat.messages')} />
      </div>
      <p class="typing" aria-live="polite">
        {typing ? t('chat.typing', { name: typing }) : ''}
      </p>
      {finished ? <p class="muted">{t('chat.finished')}</p> : null}
      {/* Nobody has the chat yet: the customer learns when to expect an answer, from the SLA policy. */}
      {ticket && !finished && !ticket.assigneeId && ticket.sla?.firstResponseDueAt && !ticket.sla.firstRespondedAt ? (
        <p class="chat-wait" role="status">
          {t('chat.expected_reply', { time: formatDateTime(ticket.sla.firstResponseDueAt) })}
        </p>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
      <form
        class="chat-composer"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <label for="chat-message" class="visually-hidden">
          {t('chat.message')}
        </label>
        <textarea
          id="chat-message"
          rows={2}
          maxLength={maxTextLength}
          placeholder={t('chat.message_placeholder')}
          value={body}
          onInput={(e) => {
            setBody(e.currentTarget.value);
            if (Date.now() - lastTyping.current > typingEveryMs) {
              lastTyping.current = Date.now();
              realtime.typing(ticketId);
            }
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
          onPaste={(e) => {
            const files = pastedFiles(e.clipboardData);
            if (files.length === 0) return;
            e.preventDefault();
            for (const file of files) void sendFile(file, pastedName(file));
          }}
        />
        <label class="btn chat-file" title={t('chat.attach')}>
          <span aria-hidden="true">+</span>
          <span class="visually-hidden">{t('chat.attach')}</span>
          <input
            type="file"
            class="visually-hidden"
            accept={acceptAttribute}
            onChange={(e) => {
              for (const file of Array.from(e.currentTarget.files ?? [])) void sendFile(file, file.name);
              e.currentTarget.value = '';
            }}
          />
        </label>
        <Button type="submit" kind="primary">
          {t('chat.send')}
        </Button>
      </form>
    </div>
  );
}
