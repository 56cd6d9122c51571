// Administration: access groups (customer companies, with their CNPJ, edited by admins), their members
// (removed after a confirmation naming the person and the company) and the invitations sent to them, with each
// e-mail's delivery status, resend and revoke; for admins, the addresses SES reported as bouncing or
// complaining, which get no e-mail until cleared.
import { useEffect, useState } from 'preact/hooks';
import { normalizeCnpj } from '../../../shared/domain/cnpj.js';
import { api } from '../api/client.js';
import type { Group, Invite, Page as PageOf, Suppression, User } from '../api/types.js';
import { formatDateTime, t } from '../i18n/index.js';
import { formatCnpj } from '../lib/nfe.js';
import { added, replaced } from '../lib/people.js';
import { navigate, useLocation, withQuery } from '../router.js';
import { useSession } from '../session.js';
import { Alert, Button, ConfirmDialog, errorText, Field, fieldIds, Loaded, Page, useSubmit } from '../ui/common.js';
import { InviteForm, InviteTable } from '../ui/Invites.js';
import { PersonDataActions } from './privacy.js';

export function AdminPage() {
  const session = useSession();
  const { query } = useLocation();
  const selected = query.get('group') ?? '';
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const isAdmin = session?.user.role === 'admin';

  const load = async (after?: string) => {
    try {
      const page = await api.get<PageOf<Group>>('/groups', { limit: 50, cursor: after });
      setGroups((list) => (after ? [...(list ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor ?? null);
    } catch (e) {
      setError(errorText(e));
    }
  };

  useEffect(() => {
    void load();
  }, []);

  const group = groups?.find((g) => g.id === selected);
  // A link to one company (`?group=`) opens it even when it sorts beyond the pages loaded so far.
  useEffect(() => {
    if (selected && groups && !group && cursor && !error) void load(cursor);
  }, [selected, groups, cursor]);
  return (
    <Page title={t('admin.title')} wide>
      {error ? <Alert>{error}</Alert> : null}
      <div class="console">
        <div class="console-lists">
          <section aria-labelledby="groups-title">
            <h2 id="groups-title">{t('admin.groups')}</h2>
            <Loaded items={groups} empty={t('admin.no_groups')}>
              {(list) => (
                <ul class="ticket-links">
                  {list.map((g) => (
                    <li key={g.id}>
                      <a
                        href={withQuery('/admin', { group: g.id })}
                        aria-current={g.id === selected ? 'true' : undefined}
                        onClick={(event) => {
                          event.preventDefault();
                          navigate(withQuery('/admin', { group: g.id }));
                        }}
                      >
                        {g.name}
                      </a>
                      {g.taxId ? <div class="muted small">CNPJ {formatCnpj(g.taxId)}</div> : null}
                    </li>
                  ))}
                </ul>
              )}
            </Loaded>
            {cursor ? <Button onClick={() => load(cursor)}>{t('tickets.more')}</Button> : null}
          </section>
          {isAdmin ? (
            <GroupForm
              onSaved={(g) => {
                setGroups((list) => added(list, g));
                navigate(withQuery('/admin', { group: g.id }));
              }}
            />
          ) : null}
          {isAdmin ? <Suppressions /> : null}
        </div>
        <section class="console-ticket" aria-label={t('admin.group_details')}>
          {group ? (
            <GroupDetails
              key={group.id}
              group={group}
              isAdmin={isAdmin}
              onSaved={(saved) => setGroups((list) => replaced(list ?? [], saved))}
            />
          ) : (
            <p class="muted">{t('admin.pick')}</p>
          )}
        </section>
      </div>
    </Page>
  );
}

function Suppressions() {
  const [items, setItems] = useState<Suppression[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const load = async (after?: string) => {
    try {
      const page = await api.get<PageOf<Suppression>>('/suppressions', { limit: 50, cursor: after });
      setItems((list) => (after ? [...(list ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor ?? null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);
  return (
    <section aria-labelledby="suppressions-title">
      <h2 id="suppressions-title">{t('admin.suppressions')}</h2>
      <p class="muted small">{t('admin.suppressions_hint')}</p>
      {error ? <Alert>{error}</Alert> : null}
      <Loaded items={items} empty={t('admin.no_suppressions')}>
        {(list) => (
          <ul class="ticket-links">
            {list.map((suppression) => (
              <SuppressionRow
                key={suppression.email}
                suppression={suppression}
                onCleared={() => setItems((all) => (all ?? []).filter((s) => s.email !== suppression.email))}
              />
            ))}
          </ul>
        )}
      </Loaded>
      {cursor ? <Button onClick={() => load(cursor)}>{t('tickets.more')}</Button> : null}
    </section>
  );
}

function SuppressionRow(props: { suppression: Suppression; onCleared: () => void }) {
  const { email, reason, at } = props.suppression;
  const { busy, error, submit } = useSubmit();
  return (
    <li>
      <span class="address">{email}</span>
      <div class="muted small">
        {t(`suppression.${reason}`)} · {formatDateTime(at)}
      </div>
      <Button
        busy={busy}
        aria-label={t('admin.clear_suppression_of', { email })}
        onClick={() => {
          if (!confirm(t('admin.clear_suppression_confirm', { email }))) return;
          void submit(async () => {
            await api.delete(`/suppressions/${encodeURIComponent(email)}`);
            props.onCleared();
          });
        }}
      >
        {t('admin.clear_suppression')}
      </Button>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}

/** A company's name and CNPJ: a new one (`POST /groups`) or the changes to `group` (`PATCH /groups/{id}`). */
function GroupForm(props: { group?: Group; onSaved: (group: Group) => void; onCancel?: () => void }) {
  const editing = props.group;
  const prefix = editing ? 'edit-group' : 'group';
  const [name, setName] = useState(editing?.name ?? '');
  const [taxId, setTaxId] = useState(editing?.taxId ? formatCnpj(editing.taxId) : '');
  const sending = useSubmit();
  const { errors } = sending;
  return (
    <form
      ref={sending.form}
      class="card form"
      aria-labelledby={`${prefix}-title`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const problems: Record<string, string> = {};
        const digits = taxId.trim() ? normalizeCnpj(taxId.trim()) : undefined;
        if (!name.trim()) problems.name = t('issue.required');
        if (taxId.trim() && !digits) problems.taxId = t('issue.cnpj');
        void sending.submit(
          async () => {
            const body = { name: name.trim(), ...(digits ? { taxId: digits } : {}) };
            const { group } = editing
              ? await api.patch<{ group: Group }>(`/groups/${editing.id}`, body)
              : await api.post<{ group: Group }>('/groups', body);
            if (!editing) {
              setName('');
              setTaxId('');
            }
            props.onSaved(group);
          },
          { problems },
        );
      }}
    >
      <h2 id={`${prefix}-title`} class="h3">
        {editing ? t('admin.edit_group_title', { name: editing.name }) : t('admin.new_group')}
      </h2>
      {sending.error ? <Alert>{sending.error}</Alert> : null}
      <Field id={`${prefix}-name`} label={t('field.group_name')} error={errors.name} required>
        <input
          {...fieldIds(`${prefix}-name`, errors.name)}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </Field>
      <Field id={`${prefix}-cnpj`} label="CNPJ" error={errors.taxId} hint={t('admin.cnpj_hint')}>
        <input
          {...fieldIds(`${prefix}-cnpj`, errors.taxId, t('admin.cnpj_hint'))}
          inputMode="numeric"
          value={taxId}
          onInput={(e) => setTaxId(e.currentTarget.value)}
        />
      </Field>
      <div class="form-actions">
        <Button type="submit" kind="primary" busy={sending.busy}>
          {editing ? t('admin.save_group') : t('admin.create_group')}
        </Button>
        {props.onCancel ? <Button onClick={props.onCancel}>{t('common.cancel')}</Button> : null}
      </div>
    </form>
  );
}

function GroupDetails(props: { group: Group; isAdmin: boolean; onSaved: (group: Group) => void }) {
  const { group } = props;
  const [members, setMembers] = useState<User[] | null>(null);
  const [invites, setInvites] = useState<Invite[] | null>(null);
  const [error, setError] = useState('');
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState<User | null>(null);
  const [done, setDone] = useState('');

  useEffect(() => {
    api.get<{ items: User[] }>(`/groups/${group.id}/members`).then(
      (r) => setMembers(r.items),
      (e) => setError(errorText(e)),
    );
    api.get<{ items: Invite[] }>(`/groups/${group.id}/invites`).then(
      (r) => setInvites(r.items),
      (e) => setError(errorText(e)),
    );
  }, [group.id]);

  const cancelEditing = () => {
    setEditing(false);
    requestAnimationFrame(() => document.getElementById('edit-group-button')?.focus());
  };

  return (
    <div>
      <div class="page-head">
        <h2>{group.name}</h2>
        {props.isAdmin && !editing ? (
          <Button id="edit-group-button" onClick={() => setEditing(true)}>
            {t('admin.edit_group')}
          </Button>
        ) : null}
      </div>
      {group.taxId ? <p class="muted">CNPJ {formatCnpj(group.taxId)}</p> : null}
      {editing ? (
        <GroupForm
          group={group}
          onCancel={cancelEditing}
          onSaved={(saved) => {
            // The confirmation takes the keyboard.
            props.onSaved(saved);
            setDone(t('admin.group_saved'));
            setEditing(false);
          }}
        />
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
      {done ? (
        <Alert key={done} kind="success" focus>
          {done}
        </Alert>
      ) : null}
      <section aria-labelledby="members-title">
        <h3 id="members-title">{t('admin.members')}</h3>
        <Loaded items={members} empty={t('admin.no_members')}>
          {(list) => (
            <ul class="plain members">
              {list.map((m) => (
                <li key={m.id}>
                  <span>
                    {m.name} <span class="muted">&lt;{m.email}&gt;</span>
                  </span>
                  {props.isAdmin ? (
                    <PersonDataActions
                      person={m}
                      onErased={(erased, message) => {
                        setMembers((list) => (list ?? []).filter((other) => other.id !== erased.id));
                        setDone(message);
                      }}
                    />
                  ) : null}
                  <Button
                    kind="danger"
                    aria-label={t('admin.remove_member_from', { name: m.name, group: group.name })}
                    onClick={() => {
                      setDone('');
                      setRemoving(m);
                    }}
                  >
                    {t('admin.remove_member')}
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </Loaded>
        {removing ? (
          <ConfirmDialog
            title={t('admin.remove_member_title')}
            confirmLabel={t('admin.remove_member_confirm')}
            onCancel={() => setRemoving(null)}
            onConfirm={async () => {
              await api.delete(`/groups/${group.id}/members/${removing.id}`);
              setMembers((list) => (list ?? []).filter((m) => m.id !== removing.id));
              setRemoving(null);
              setDone(t('admin.member_removed', { name: removing.name, group: group.name }));
            }}
          >
            <p>{t('admin.remove_member_text', { name: removing.name, email: removing.email, group: group.name })}</p>
            <p>{t('admin.remove_member_effect')}</p>
          </ConfirmDialog>
        ) : null}
      </section>
      <section aria-labelledby="invites-title">
        <h3 id="invites-title">{t('admin.invites')}</h3>
        <InviteForm
          path={`/groups/${group.id}/invites`}
          onInvited={(invite) => setInvites((list) => added(list, invite))}
        />
        <InviteTable invites={invites} onChange={(invite) => setInvites((list) => replaced(list ?? [], invite))} />
      </section>
    </div>
  );
}
