// One ticket: its header, its whole timeline kept live over the WebSocket, the reply box and the
// actions the person's role allows (close/reopen for customers; take, status, priority and portal
// access for agents; for staff the SLA badge, internal notes and canned replies). Used by the ticket
// page and inside the agent console.
import { useEffect, useRef, useState } from 'preact/hooks';
import { isAgentRole, isStaffRole } from '../../../shared/domain/roles.js';
import { api } from '../api/client.js';
import { loadAllGroups } from '../api/groups.js';
import { ApiError } from '../api/http.js';
import { maxTextLength } from '../api/rules.js';
import type { Group, Invite, Priority, Status, Ticket, TicketEvent, User } from '../api/types.js';
import { formatDateTime, t, useLang } from '../i18n/index.js';
import { useDraft } from '../lib/drafts.js';
import { useLiveTicket } from '../lib/live-ticket.js';
import { formatAccessKey } from '../lib/nfe.js';
import { fillPlaceholders } from '../lib/placeholders.js';
import { useSession } from '../session.js';
import { useCannedPicker } from '../ui/CannedPicker.js';
import {
  Alert,
  Button,
  errorText,
  Field,
  fieldIds,
  groupChoices,
  priorityChoices,
  priorityLabel,
  Select,
  Spinner,
  StatusBadge,
  statusChoices,
  topicLabel,
  useSubmit,
  useTopics,
} from '../ui/common.js';
import { DueBadge } from '../ui/DueBadge.js';
import { FileUploader } from '../ui/FileUploader.js';
import { RatingForm } from '../ui/RatingForm.js';
import { AttachmentLink, Timeline } from '../ui/Timeline.js';

export function TicketView(props: { ticketId: string; headingLevel?: 1 | 2; onTitle?: (title: string) => void }) {
  const lang = useLang();
  const session = useSession();
  const topics = useTopics();
  const live = useLiveTicket(props.ticketId);
  const { ticket, events } = live;
  const me = session?.user;

  useEffect(() => {
    if (ticket) props.onTitle?.(`#${ticket.number} ${ticket.subject}`);
  }, [ticket?.number, ticket?.subject]);

  if (live.error) {
    return (
      <Alert>
        {live.error instanceof ApiError && live.error.code === 'not_found'
          ? t('ticket.not_found')
          : errorText(live.error)}
      </Alert>
    );
  }
  if (!ticket || !me) return <Spinner />;

  const staff = isStaffRole(me.role);
  const canAct = me.role !== 'auditor';
  const group = me.groups.find((g) => g.id === ticket.groupId);
  return (
    <div class="ticket">
      {props.headingLevel === 2 ? (
        <h2 class="ticket-title">
          #{ticket.number} {ticket.subject}
        </h2>
      ) : null}
      <dl class="ticket-facts">
        <div>
          <dt>{t('field.status')}</dt>
          <dd>
            <StatusBadge status={ticket.status} />
          </dd>
        </div>
        <div>
          <dt>{t('field.priority')}</dt>
          <dd>{priorityLabel(ticket.priority)}</dd>
        </div>
        {staff && ticket.sla ? (
          <div>
            <dt>{t('sla.due')}</dt>
            <dd>
              <DueBadge ticket={ticket} />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('field.topic')}</dt>
          <dd>{topicLabel(topics, ticket.topic, lang)}</dd>
        </div>
        <div>
          <dt>{t('ticket.channel')}</dt>
          <dd>{ticket.channel === 'chat' ? t('tickets.chat') : t('ticket.portal')}</dd>
        </div>
        {group ? (
          <div>
            <dt>{t('field.group')}</dt>
            <dd>{group.name}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('ticket.opened')}</dt>
          <dd>{formatDateTime(ticket.createdAt)}</dd>
        </div>
        <div>
          <dt>{t('ticket.assignee')}</dt>
          <dd>
            {!ticket.assigneeId
              ? t('ticket.unassigned')
              : ticket.assigneeId === me.id
                ? t('ticket.assigned_to_you')
                : t('ticket.assigned_to_agent')}
          </dd>
        </div>
        {ticket.documentRef ? (
          <div class="fact-wide">
            <dt>{t('ticket.document')}</dt>
            <dd>
              {ticket.documentRef.title ?? (ticket.documentRef.type === 'nfe' ? 'NF-e' : ticket.documentRef.type)}
              {' · '}
              <span class="mono">
                {ticket.documentRef.type === 'nfe' ? formatAccessKey(ticket.documentRef.id) : ticket.documentRef.id}
              </span>
            </dd>
          </div>
        ) : null}
      </dl>
      {/* A chat's description is its first message, which the timeline shows already. */}
      <section
        class="ticket-description"
        aria-label={t('field.description')}
        hidden={ticket.channel === 'chat' && !ticket.attachments?.length}
      >
        {ticket.channel === 'chat' ? null : <p class="msg-body">{ticket.description}</p>}
        {ticket.attachments?.length ? (
          <ul class="plain">
            {ticket.attachments.map((a) => (
              <li key={a.id}>
                <AttachmentLink attachment={a} />
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      {canAct ? (
        staff ? (
          <AgentControls ticket={ticket} meId={me.id} onTicket={live.setTicket} reload={live.reloadTicket} />
        ) : (
          <CustomerControls ticket={ticket} onTicket={live.setTicket} reload={live.reloadTicket} />
        )
      ) : null}
      {canAct && ticket.requesterId !== me.id ? (
        <FollowControl ticket={ticket} meId={me.id} onTicket={live.setTicket} />
      ) : null}

      {ticket.status === 'resolved' && ticket.requesterId === me.id && canAct ? (
        <section class="ticket-rating" aria-labelledby="ticket-rating">
          <h2 id="ticket-rating" class={props.headingLevel === 2 ? 'h3' : undefined}>
            {t('rate.title')}
          </h2>
          <RatingForm
            submit={async (rating) => {
              const { event } = await api.post<{ event: TicketEvent }>(`/tickets/${ticket.id}/satisfaction`, rating);
              live.addEvent(event);
            }}
          />
        </section>
      ) : null}

      <section class="ticket-timeline">
        <h2 class={props.headingLevel === 2 ? 'h3' : undefined}>{t('ticket.history')}</h2>
        <div aria-live="polite" aria-relevant="additions">
          <Timeline
            events={events}
            meId={me.id}
            label={t('ticket.history')}
            topicName={(id) => topicLabel(topics, id, lang)}
          />
        </div>
      </section>
      {canAct ? (
        <ReplyBox key={ticket.id} ticket={ticket} staff={staff} agentName={me.name} onSent={live.addEvent} />
      ) : null}
    </div>
  );
}

async function patchTicket(ticket: Ticket, change: Partial<Pick<Ticket, 'status' | 'priority' | 'assigneeId'>>) {
  return (await api.patch<{ ticket: Ticket }>(`/tickets/${ticket.id}`, change, { 'if-match': String(ticket.version) }))
    .ticket;
}

const isConflict = (e: unknown) => e instanceof ApiError && e.code === 'conflict';

/** A change to the ticket; one made on a version someone else changed meanwhile shows the ticket as it is now. */
function useTicketAction(onTicket: (t: Ticket) => void, reload: () => Promise<void>) {
  const { busy, error, submit } = useSubmit();
  const [done, setDone] = useState('');
  async function run(action: () => Promise<Ticket>, success: string) {
    setDone('');
    const changed = await submit(
      async () => {
        try {
          onTicket(await action());
        } catch (e) {
          if (isConflict(e)) await reload();
          throw e;
        }
      },
      { explain: (e) => (isConflict(e) ? t('ticket.conflict') : undefined) },
    );
    if (changed) setDone(success);
  }
  return { busy, error, done, run };
}

function CustomerControls(props: { ticket: Ticket; onTicket: (t: Ticket) => void; reload: () => Promise<void> }) {
  const { ticket } = props;
  const action = useTicketAction(props.onTicket, props.reload);
  const finished = ticket.status === 'closed' || ticket.status === 'resolved';
  return (
    <div class="ticket-actions">
      {finished ? (
        <Button
          busy={action.busy}
          onClick={() => action.run(() => patchTicket(ticket, { status: 'open' }), t('ticket.reopened'))}
        >
          {t('ticket.reopen')}
        </Button>
      ) : (
        <Button
          busy={action.busy}
          onClick={() => action.run(() => patchTicket(ticket, { status: 'closed' }), t('ticket.closed'))}
        >
          {t('ticket.close')}
        </Button>
      )}
      {action.error ? <Alert>{action.error}</Alert> : null}
      {action.done ? (
        <p role="status" class="visually-hidden">
          {action.done}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Follow or stop following the ticket (its requester is told anyway): followers get support's answers by
 * e-mail. The ticket as the API has it afterwards replaces the one shown.
 */
function FollowControl(props: { ticket: Ticket; meId: string; onTicket: (t: Ticket) => void }) {
  const { ticket } = props;
  const { busy, error, submit } = useSubmit();
  const [done, setDone] = useState('');
  const following = (ticket.followerIds ?? []).includes(props.meId);
  const toggle = async () => {
    setDone('');
    const changed = await submit(async () => {
      const path = `/tickets/${ticket.id}/followers/me`;
      if (following) await api.delete(path);
      else await api.put(path);
      props.onTicket((await api.get<{ ticket: Ticket }>(`/tickets/${ticket.id}`)).ticket);
    });
    if (changed) setDone(following ? t('ticket.unfollowed') : t('ticket.followed'));
  };
  return (
    <div class="ticket-follow inline wrap">
      <Button busy={busy} aria-pressed={following} onClick={toggle}>
        {following ? t('ticket.unfollow') : t('ticket.follow')}
      </Button>
      <span class="hint">{following ? t('ticket.following') : t('ticket.follow_hint')}</span>
      {error ? <Alert>{error}</Alert> : null}
      {done ? (
        <p role="status" class="visually-hidden">
          {done}
        </p>
      ) : null}
    </div>
  );
}

function AgentControls(props: {
  ticket: Ticket;
  meId: string;
  onTicket: (t: Ticket) => void;
  reload: () => Promise<void>;
}) {
  const { ticket } = props;
  const action = useTicketAction(props.onTicket, props.reload);
  const [status, setStatus] = useState<Status>(ticket.status);
  const [priority, setPriority] = useState<Priority>(ticket.priority);
  useEffect(() => {
    setStatus(ticket.status);
    setPriority(ticket.priority);
  }, [ticket.version]);

  const changes: Partial<Ticket> = {};
  if (status !== ticket.status) changes.status = status;
  if (priority !== ticket.priority) changes.priority = priority;

  return (
    <section class="agent-controls card" aria-label={t('agent.controls')}>
      <div class="inline wrap">
        {ticket.assigneeId !== props.meId ? (
          <Button
            kind="primary"
            busy={action.busy}
            onClick={() => action.run(() => patchTicket(ticket, { assigneeId: props.meId }), t('agent.taken'))}
          >
            {ticket.assigneeId ? t('agent.take_over') : t('agent.take')}
          </Button>
        ) : null}
        <form
          class="inline wrap"
          onSubmit={(event) => {
            event.preventDefault();
            if (Object.keys(changes).length > 0) void action.run(() => patchTicket(ticket, changes), t('agent.saved'));
          }}
        >
          <Field id={`status-${ticket.id}`} label={t('field.status')}>
            <Select
              id={`status-${ticket.id}`}
              value={status}
              choices={statusChoices()}
              onValue={(value) => setStatus(value as Status)}
            />
          </Field>
          <Field id={`priority-${ticket.id}`} label={t('field.priority')}>
            <Select
              id={`priority-${ticket.id}`}
              value={priority}
              choices={priorityChoices()}
              onValue={(value) => setPriority(value as Priority)}
            />
          </Field>
          <Button type="submit" busy={action.busy} disabled={Object.keys(changes).length === 0}>
            {t('agent.save')}
          </Button>
        </form>
      </div>
      <TransferTo ticket={ticket} run={action.run} busy={action.busy} />
      {action.error ? <Alert>{action.error}</Alert> : null}
      <p role="status" class="muted">
        {action.done}
      </p>
      {ticket.topic === 'portal_access' ? <GrantAccess ticket={ticket} /> : null}
    </section>
  );
}

/** Hands the ticket to another active agent or admin (PATCH assigneeId), each shown with their presence. */
function TransferTo(props: { ticket: Ticket; run: ReturnType<typeof useTicketAction>['run']; busy: boolean }) {
  const { ticket } = props;
  const [people, setPeople] = useState<User[]>([]);
  const [to, setTo] = useState('');
  const [loadError, setLoadError] = useState('');
  useEffect(() => {
    api.get<{ items: User[] }>('/staff').then(
      (answer) => setPeople(answer.items.filter((u) => isAgentRole(u.role) && u.status === 'active')),
      (e) => setLoadError(errorText(e)),
    );
  }, []);
  const others = people.filter((u) => u.id !== ticket.assigneeId);
  const id = `transfer-${ticket.id}`;
  const chosen = others.find((u) => u.id === to);
  return (
    <form
      class="inline wrap"
      onSubmit={(event) => {
        event.preventDefault();
        if (!chosen) return;
        void props.run(
          () => patchTicket(ticket, { assigneeId: chosen.id }),
          t('agent.transferred', { name: chosen.name }),
        );
        setTo('');
      }}
    >
      <Field id={id} label={t('agent.transfer')} error={loadError}>
        <Select
          id={id}
          value={to}
          empty={t('form.choose')}
          choices={others.map((u) => ({
            value: u.id,
            label: u.presence ? `${u.name} (${t(`presence.${u.presence}`)})` : u.name,
          }))}
          onValue={setTo}
        />
      </Field>
      <Button type="submit" busy={props.busy} disabled={!chosen}>
        {t('agent.transfer_button')}
      </Button>
    </form>
  );
}

function GrantAccess(props: { ticket: Ticket }) {
  const [groups, setGroups] = useState<Group[]>([]);
  const [groupId, setGroupId] = useState('');
  const [invite, setInvite] = useState<Invite | null>(null);
  const [loadError, setLoadError] = useState('');
  const sending = useSubmit();
  useEffect(() => {
    loadAllGroups().then(setGroups, (e) => setLoadError(errorText(e)));
  }, []);
  const id = `grant-group-${props.ticket.id}`;
  const error = sending.errors.groupId || sending.error || loadError;
  return (
    <form
      ref={sending.form}
      class="grant"
      onSubmit={(event) => {
        event.preventDefault();
        void sending.submit(
          async () => {
            const answer = await api.post<{ invite: Invite }>(`/tickets/${props.ticket.id}/grant-access`, { groupId });
            setInvite(answer.invite);
          },
          { problems: groupId ? {} : { groupId: t('issue.choose_group') } },
        );
      }}
    >
      <h3 class="h4">{t('agent.grant_title')}</h3>
      <div class="inline wrap">
        <Field id={id} label={t('field.group')} error={error}>
          <Select
            {...fieldIds(id, error)}
            value={groupId}
            empty={t('form.choose')}
            choices={groupChoices(groups)}
            onValue={setGroupId}
          />
        </Field>
        <Button type="submit" busy={sending.busy}>
          {t('agent.grant')}
        </Button>
      </div>
      {invite ? (
        <Alert kind="success">
          {t('agent.granted', { email: invite.email })} {t(`delivery.${invite.delivery.status}`)}
        </Alert>
      ) : null}
    </form>
  );
}

/**
 * The reply box. Staff choose between a reply to the customer and an internal note (posted to
 * /tickets/{id}/notes), and pick canned replies with "/" at the start of the text.
 */
function ReplyBox(props: { ticket: Ticket; staff: boolean; agentName: string; onSent: (event: TicketEvent) => void }) {
  const { ticket } = props;
  const [body, setBody, clearBody] = useDraft(`reply.${ticket.id}`, '');
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [files, setFiles] = useState({ attachmentIds: [] as string[], busy: false });
  const [resetKey, setResetKey] = useState(0);
  const sending = useSubmit();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const id = `reply-${ticket.id}`;
  const error = sending.errors.body || sending.error;
  const note = props.staff && mode === 'note';
  const picker = useCannedPicker({
    id,
    body,
    topic: ticket.topic,
    enabled: props.staff,
    onPick: (reply) => {
      setBody(
        fillPlaceholders(reply.body, {
          requesterName: ticket.requesterName,
          ticketNumber: ticket.number,
          agentName: props.agentName,
        }),
      );
      textarea.current?.focus();
    },
  });
  return (
    <form
      ref={sending.form}
      class={note ? 'reply reply-note card' : 'reply card'}
      onSubmit={(event) => {
        event.preventDefault();
        const problem = !body.trim() ? t('issue.required') : files.busy ? t('upload.wait') : undefined;
        void sending.submit(
          async () => {
            const { event: sent } = await api.post<{ event: TicketEvent }>(
              `/tickets/${ticket.id}/${note ? 'notes' : 'messages'}`,
              {
                body: body.trim(),
                ...(files.attachmentIds.length > 0 ? { attachmentIds: files.attachmentIds } : {}),
              },
            );
            props.onSent(sent);
            clearBody();
            setResetKey((k) => k + 1);
            textarea.current?.focus();
          },
          { problems: problem ? { body: problem } : {} },
        );
      }}
    >
      {props.staff ? (
        <fieldset class="reply-mode">
          <legend class="visually-hidden">{t('reply.mode')}</legend>
          {(['reply', 'note'] as const).map((choice) => (
            <label key={choice}>
              <input
                type="radio"
                name={`${id}-mode`}
                value={choice}
                checked={mode === choice}
                onChange={() => setMode(choice)}
              />{' '}
              {choice === 'note' ? t('reply.note') : t('reply.to_customer')}
            </label>
          ))}
        </fieldset>
      ) : null}
      <Field
        id={id}
        label={note ? t('reply.note') : t('ticket.reply')}
        error={error}
        hint={props.staff ? (note ? t('reply.note_hint') : t('canned.hint')) : undefined}
      >
        <textarea
          ref={textarea}
          {...fieldIds(id, error, props.staff ? 'hint' : undefined)}
          {...picker.aria}
          rows={4}
          maxLength={maxTextLength}
          value={body}
          onInput={(e) => setBody(e.currentTarget.value)}
          onKeyDown={(e) => picker.onKey(e)}
        />
      </Field>
      {picker.list}
      <details class="reply-files">
        <summary>{t('ticket.attach')}</summary>
        <FileUploader id={`${id}-files`} onChange={setFiles} resetKey={resetKey} />
      </details>
      <Button type="submit" kind="primary" busy={sending.busy}>
        {note ? t('reply.send_note') : t('ticket.send')}
      </Button>
    </form>
  );
}
