// Administration: access groups (customer companies, with their CNPJ), their members and the
// invitations sent to them, with each e-mail's delivery status, resend and revoke; for admins, the
// addresses SES reported as bouncing or complaining, which get no e-mail until cleared.
import { useEffect, useState } from 'preact/hooks';
import { normalizeCnpj } from '../../../shared/domain/cnpj.js';
import { api } from '../api/client.js';
import type { Group, Invite, Page as PageOf, Suppression, User } from '../api/types.js';
import { formatDateTime, t } from '../i18n/index.js';
import { formatCnpj } from '../lib/nfe.js';
import { navigate, useLocation, withQuery } from '../router.js';
import { useSession } from '../session.js';
import { Alert, Button, errorText, Field, fieldIds, Loaded, Page, useSubmit } from '../ui/common.js';

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
            <NewGroup
              onCreated={(g) => {
                setGroups((list) => [g, ...(list ?? [])]);
                navigate(withQuery('/admin', { group: g.id }));
              }}
            />
          ) : null}
          {isAdmin ? <Suppressions /> : null}
        </div>
        <section class="console-ticket" aria-label={t('admin.group_details')}>
          {group ? <GroupDetails key={group.id} group={group} /> : <p class="muted">{t('admin.pick')}</p>}
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

function NewGroup(props: { onCreated: (group: Group) => void }) {
  const [name, setName] = useState('');
  const [taxId, setTaxId] = useState('');
  const sending = useSubmit();
  const { errors } = sending;
  return (
    <form
      ref={sending.form}
      class="card form"
      aria-labelledby="new-group-title"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const problems: Record<string, string> = {};
        const digits = taxId.trim() ? normalizeCnpj(taxId.trim()) : undefined;
        if (!name.trim()) problems.name = t('issue.required');
        if (taxId.trim() && !digits) problems.taxId = t('issue.cnpj');
        void sending.submit(
          async () => {
            const { group } = await api.post<{ group: Group }>('/groups', {
              name: name.trim(),
              ...(digits ? { taxId: digits } : {}),
            });
            setName('');
            setTaxId('');
            props.onCreated(group);
          },
          { problems },
        );
      }}
    >
      <h2 id="new-group-title" class="h3">
        {t('admin.new_group')}
      </h2>
      {sending.error ? <Alert>{sending.error}</Alert> : null}
      <Field id="group-name" label={t('field.group_name')} error={errors.name} required>
        <input {...fieldIds('group-name', errors.name)} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field id="group-cnpj" label="CNPJ" error={errors.taxId} hint={t('admin.cnpj_hint')}>
        <input
          {...fieldIds('group-cnpj', errors.taxId, t('admin.cnpj_hint'))}
          inputMode="numeric"
          value={taxId}
          onInput={(e) => setTaxId(e.currentTarget.value)}
        />
      </Field>
      <Button type="submit" kind="primary" busy={sending.busy}>
        {t('admin.create_group')}
      </Button>
    </form>
  );
}

function GroupDetails(props: { group: Group }) {
  const { group } = props;
  const [members, setMembers] = useState<User[] | null>(null);
  const [invites, setInvites] = useState<Invite[] | null>(null);
  const [error, setError] = useState('');

  const loadInvites = () =>
    api.get<{ items: Invite[] }>(`/groups/${group.id}/invites`).then(
      (r) => setInvites(r.items),
      (e) => setError(errorText(e)),
    );

  useEffect(() => {
    api.get<{ items: User[] }>(`/groups/${group.id}/members`).then(
      (r) => setMembers(r.items),
      (e) => setError(errorText(e)),
    );
    void loadInvites();
  }, [group.id]);

  const replace = (invite: Invite) => setInvites((list) => (list ?? []).map((i) => (i.id === invite.id ? invite : i)));

  return (
    <div>
      <h2>{group.name}</h2>
      {group.taxId ? <p class="muted">CNPJ {formatCnpj(group.taxId)}</p> : null}
      {error ? <Alert>{error}</Alert> : null}
      <section aria-labelledby="members-title">
        <h3 id="members-title">{t('admin.members')}</h3>
        <Loaded items={members} empty={t('admin.no_members')}>
          {(list) => (
            <ul class="plain">
              {list.map((m) => (
                <li key={m.id}>
                  {m.name} <span class="muted">&lt;{m.email}&gt;</span>
                </li>
              ))}
            </ul>
          )}
        </Loaded>
      </section>
      <section aria-labelledby="invites-title">
        <h3 id="invites-title">{t('admin.invites')}</h3>
        <InviteForm groupId={group.id} onInvited={(invite) => setInvites((list) => [invite, ...(list ?? [])])} />
        <Loaded items={invites} empty={t('admin.no_invites')}>
          {(list) => (
            <table class="tickets">
              <thead>
                <tr>
                  <th scope="col">{t('field.email')}</th>
                  <th scope="col">{t('admin.invite_status')}</th>
                  <th scope="col">{t('admin.delivery')}</th>
                  <th scope="col">{t('admin.expires')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('admin.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((invite) => (
                  <InviteRow key={invite.id} invite={invite} onChange={replace} />
                ))}
              </tbody>
            </table>
          )}
        </Loaded>
      </section>
    </div>
  );
}

function InviteRow(props: { invite: Invite; onChange: (invite: Invite) => void }) {
  const { invite } = props;
  const { busy, error, submit } = useSubmit();
  const act = (action: () => Promise<Invite>) => submit(async () => props.onChange(await action()));
  return (
    <tr>
      <td>{invite.email}</td>
      <td>
        <span class={`badge badge-invite-${invite.status}`}>{t(`invite.status_${invite.status}`)}</span>
      </td>
      <td>
        {t(`delivery.${invite.delivery.status}`)}
        {invite.delivery.attempts > 1 ? (
          <span class="muted small"> · {t('admin.attempts', { count: invite.delivery.attempts })}</span>
        ) : null}
        {invite.delivery.lastError ? <div class="field-error small">{invite.delivery.lastError}</div> : null}
      </td>
      <td>{formatDateTime(invite.expiresAt)}</td>
      <td>
        {invite.status === 'pending' || invite.status === 'expired' ? (
          <div class="inline">
            <Button
              busy={busy}
              aria-label={t('admin.resend_to', { email: invite.email })}
              onClick={() =>
                act(async () => (await api.post<{ invite: Invite }>(`/invites/${invite.id}/resend`, {})).invite)
              }
            >
              {t('admin.resend')}
            </Button>
            {invite.status === 'pending' ? (
              <Button
                kind="danger"
                busy={busy}
                aria-label={t('admin.revoke_to', { email: invite.email })}
                onClick={() => {
                  if (!confirm(t('admin.revoke_confirm', { email: invite.email }))) return;
                  void act(async () => {
                    await api.delete(`/invites/${invite.id}`);
                    return { ...invite, status: 'revoked' };
                  });
                }}
              >
                {t('admin.revoke')}
              </Button>
            ) : null}
          </div>
        ) : null}
        {error ? (
          <p class="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

function InviteForm(props: { groupId: string; onInvited: (invite: Invite) => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const sending = useSubmit();
  const { errors } = sending;
  return (
    <form
      ref={sending.form}
      class="inline wrap invite-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const problems: Record<string, string> = /^\S+@\S+\.\S+$/.test(email.trim()) ? {} : { email: t('issue.email') };
        void sending.submit(
          async () => {
            const { invite } = await api.post<{ invite: Invite }>(`/groups/${props.groupId}/invites`, {
              email: email.trim(),
              ...(name.trim() ? { name: name.trim() } : {}),
            });
            setEmail('');
            setName('');
            props.onInvited(invite);
          },
          { problems },
        );
      }}
    >
      <Field id="invite-new-email" label={t('field.email')} error={errors.email} required>
        <input
          {...fieldIds('invite-new-email', errors.email)}
          type="email"
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
      </Field>
      <Field id="invite-new-name" label={t('admin.invite_name')} error={errors.name}>
        <input
          {...fieldIds('invite-new-name', errors.name)}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </Field>
      <Button type="submit" kind="primary" busy={sending.busy}>
        {t('admin.invite')}
      </Button>
      {sending.error ? <Alert>{sending.error}</Alert> : null}
    </form>
  );
}
