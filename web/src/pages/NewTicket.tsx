// The new-ticket form. What is typed is kept as a draft (sessionStorage), so an expired session or a
// reload does not lose it; the idempotency key is part of the draft, so sending twice (a double click,
// a retry after a lost answer) never opens two tickets. `?subject=` fills in an empty subject (the retired
// mailbox's automatic reply links here with the subject of the e-mail it answered).
import { useEffect, useState } from 'preact/hooks';
import { isStaffRole } from '../../../shared/domain/roles.js';
import { api } from '../api/client.js';
import { loadAllGroups } from '../api/groups.js';
import { maxSubjectLength, maxTextLength } from '../api/rules.js';
import type { GroupRef, Priority, Ticket } from '../api/types.js';
import { t, useLang } from '../i18n/index.js';
import { useDraft } from '../lib/drafts.js';
import { navigate, useLocation } from '../router.js';
import { useSession } from '../session.js';
import {
  Alert,
  Button,
  Field,
  fieldIds,
  groupChoices,
  Page,
  priorityChoices,
  Select,
  topicChoices,
  useSubmit,
  useTopics,
} from '../ui/common.js';
import { FileUploader } from '../ui/FileUploader.js';

interface Draft {
  groupId: string;
  topic: string;
  subject: string;
  description: string;
  priority: Priority;
  idempotencyKey: string;
}

function useGroups(): GroupRef[] {
  const session = useSession();
  const staff = session ? isStaffRole(session.user.role) : false;
  const [all, setAll] = useState<GroupRef[]>([]);
  useEffect(() => {
    if (staff) loadAllGroups().then(setAll, () => setAll([]));
  }, [staff]);
  return staff ? all : (session?.user.groups ?? []);
}

export function NewTicketPage() {
  const lang = useLang();
  const topics = useTopics();
  const groups = useGroups();
  const [draft, setDraft, clearDraft] = useDraft<Draft>('ticket.new', {
    groupId: '',
    topic: '',
    subject: '',
    description: '',
    priority: 'normal',
    idempotencyKey: crypto.randomUUID(),
  });
  const [files, setFiles] = useState({ attachmentIds: [] as string[], busy: false });
  const sending = useSubmit();
  const { errors } = sending;
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  const proposed = useLocation().query.get('subject')?.trim().slice(0, maxSubjectLength);
  useEffect(() => {
    if (proposed && !draft.subject) set({ subject: proposed });
  }, [proposed]);
  const groupId = groups.length === 1 ? (groups[0]?.id ?? '') : draft.groupId;

  function check(): Record<string, string> {
    const found: Record<string, string> = {};
    if (!groupId) found.groupId = t('issue.choose_group');
    if (!draft.topic) found.topic = t('issue.choose_topic');
    if (!draft.subject.trim()) found.subject = t('issue.required');
    else if (draft.subject.trim().length > maxSubjectLength) found.subject = t('issue.too_long');
    if (!draft.description.trim()) found.description = t('issue.required');
    if (files.busy) found.attachmentIds = t('upload.wait');
    return found;
  }

  function submit(event: Event) {
    event.preventDefault();
    void sending.submit(
      async () => {
        const { ticket } = await api.post<{ ticket: Ticket }>(
          '/tickets',
          {
            groupId,
            topic: draft.topic,
            subject: draft.subject.trim(),
            description: draft.description.trim(),
            priority: draft.priority,
            ...(files.attachmentIds.length > 0 ? { attachmentIds: files.attachmentIds } : {}),
          },
          { 'idempotency-key': draft.idempotencyKey },
        );
        clearDraft();
        navigate(`/tickets/${ticket.id}?created=1`);
      },
      { problems: check() },
    );
  }

  return (
    <Page title={t('newTicket.title')}>
      <form ref={sending.form} class="card form" onSubmit={submit} noValidate>
        <p class="muted">{t('form.required_note')}</p>
        {sending.error ? <Alert>{sending.error}</Alert> : null}
        {groups.length > 1 ? (
          <Field id="ticket-group" label={t('field.group')} error={errors.groupId} required>
            <Select
              {...fieldIds('ticket-group', errors.groupId)}
              value={draft.groupId}
              empty={t('form.choose')}
              choices={groupChoices(groups)}
              onValue={(value) => set({ groupId: value })}
            />
          </Field>
        ) : groups.length === 0 ? (
          errors.groupId ? (
            <Alert>{t('newTicket.no_group')}</Alert>
          ) : null
        ) : null}
        <Field id="ticket-topic" label={t('field.topic')} error={errors.topic} required>
          <Select
            {...fieldIds('ticket-topic', errors.topic)}
            value={draft.topic}
            empty={t('form.choose')}
            choices={topicChoices(topics, lang)}
            onValue={(topic) => set({ topic })}
          />
        </Field>
        <Field id="ticket-subject" label={t('field.subject')} error={errors.subject} required>
          <input
            {...fieldIds('ticket-subject', errors.subject)}
            maxLength={maxSubjectLength}
            value={draft.subject}
            onInput={(e) => set({ subject: e.currentTarget.value })}
          />
        </Field>
        <Field
          id="ticket-description"
          label={t('field.description')}
          error={errors.description}
          hint={t('newTicket.description_hint')}
          required
        >
          <textarea
            {...fieldIds('ticket-description', errors.description, t('newTicket.description_hint'))}
            rows={6}
            maxLength={maxTextLength}
            value={draft.description}
            onInput={(e) => set({ description: e.currentTarget.value })}
          />
        </Field>
        <Field id="ticket-priority" label={t('field.priority')} error={errors.priority}>
          <Select
            {...fieldIds('ticket-priority', errors.priority)}
            value={draft.priority}
            choices={priorityChoices()}
            onValue={(priority) => set({ priority: priority as Priority })}
          />
        </Field>
        <Field id="ticket-files" label={t('field.files')} error={errors.attachmentIds}>
          <FileUploader id="ticket-files" onChange={setFiles} error={errors.attachmentIds} />
        </Field>
        <div class="form-actions">
          <Button type="submit" kind="primary" busy={sending.busy}>
            {t('newTicket.submit')}
          </Button>
          <Button
            kind="link"
            onClick={() => {
              clearDraft();
              navigate('/tickets');
            }}
          >
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Page>
  );
}
