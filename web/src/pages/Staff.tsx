// The support team: everyone who is an agent, admin or auditor, with their role, status and last sign-in.
// Admins invite new people with a role, change roles, and disable or re-enable someone (each after a
// confirmation: disabling ends every session of the person at once); they export or erase a person's data.
// Agents and auditors see the list.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { ApiError } from '../api/http.js';
import type { Invite, StaffRole, User } from '../api/types.js';
import { formatDateTime, t } from '../i18n/index.js';
import { added, type Guard, guardOf, replaced, sortStaff } from '../lib/people.js';
import { useSession } from '../session.js';
import { Alert, Button, ConfirmDialog, errorText, Loaded, Page, Select, useSubmit } from '../ui/common.js';
import { InviteForm, InviteTable, roleChoices } from '../ui/Invites.js';
import { PersonDataActions } from './privacy.js';

/** 409 on a role or status change: it would have left no active admin. */
const explainConflict = (e: unknown) =>
  e instanceof ApiError && e.code === 'conflict' ? t('staff.last_admin_refused') : undefined;

export function StaffPage() {
  const session = useSession();
  const me = session?.user;
  const isAdmin = me?.role === 'admin';
  const [staff, setStaff] = useState<User[] | null>(null);
  const [invites, setInvites] = useState<Invite[] | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');

  useEffect(() => {
    api.get<{ items: User[] }>('/staff').then(
      (r) => setStaff(sortStaff(r.items)),
      (e) => setError(errorText(e)),
    );
    if (isAdmin) {
      api.get<{ items: Invite[] }>('/staff/invites').then(
        (r) => setInvites(r.items),
        (e) => setError(errorText(e)),
      );
    }
  }, [isAdmin]);

  const changed = (person: User, message: string) => {
    setStaff((list) => replaced(list ?? [], person));
    setDone(message);
  };

  return (
    <Page title={t('staff.title')} wide>
      {error ? <Alert>{error}</Alert> : null}
      {done ? (
        <Alert key={done} kind="success" focus>
          {done}
        </Alert>
      ) : null}
      <section aria-labelledby="staff-list-title">
        <h2 id="staff-list-title">{t('staff.people')}</h2>
        <Loaded items={staff} empty={t('staff.empty')}>
          {(list) => (
            <table class="tickets staff">
              <thead>
                <tr>
                  <th scope="col">{t('field.name')}</th>
                  <th scope="col">{t('field.role')}</th>
                  <th scope="col">{t('staff.status')}</th>
                  <th scope="col">{t('staff.last_sign_in')}</th>
                  {isAdmin ? (
                    <th scope="col">
                      <span class="visually-hidden">{t('admin.actions')}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {list.map((person) => (
                  <StaffRow
                    key={person.id}
                    person={person}
                    guard={me ? guardOf(list, me.id, person) : 'self'}
                    isAdmin={isAdmin}
                    onChanged={changed}
                  />
                ))}
              </tbody>
            </table>
          )}
        </Loaded>
      </section>
      {isAdmin ? (
        <section aria-labelledby="staff-invites-title">
          <h2 id="staff-invites-title">{t('staff.invites')}</h2>
          <InviteForm
            path="/staff/invites"
            withRole
            onInvited={(invite) => {
              setInvites((list) => added(list, invite));
              setDone(t('staff.invited', { email: invite.email }));
            }}
          />
          <InviteTable
            invites={invites}
            withRole
            onChange={(invite) => setInvites((list) => replaced(list ?? [], invite))}
          />
        </section>
      ) : null}
    </Page>
  );
}

function StaffRow(props: {
  person: User;
  guard: Guard;
  isAdmin: boolean;
  onChanged: (person: User, message: string) => void;
}) {
  const { person, guard } = props;
  const [role, setRole] = useState(person.role);
  const [confirming, setConfirming] = useState(false);
  const sending = useSubmit();
  const disabled = person.status === 'disabled';
  const mayChange = props.isAdmin && guard === null;

  const patch = async (body: { role?: StaffRole; status?: User['status'] }, message: string) => {
    const { user } = await api.patch<{ user: User }>(`/users/${person.id}`, body);
    props.onChanged(user, message);
  };

  return (
    <tr>
      <td>
        {person.name}
        {guard === 'self' && props.isAdmin ? <span class="muted"> ({t('staff.you')})</span> : null}
        <div class="muted small">{person.email}</div>
      </td>
      <td>
        {mayChange ? (
          <div class="inline">
            <label class="visually-hidden" for={`role-${person.id}`}>
              {t('staff.role_of', { name: person.name })}
            </label>
            <Select
              id={`role-${person.id}`}
              value={role}
              choices={roleChoices()}
              onValue={(value) => setRole(value as StaffRole)}
            />
            {role !== person.role ? (
              <Button
                kind="primary"
                busy={sending.busy}
                aria-label={t('staff.change_role_of', { name: person.name })}
                onClick={() =>
                  void sending.submit(
                    () =>
                      patch(
                        { role: role as StaffRole },
                        t('staff.role_changed', { name: person.name, role: t(`role.${role}`) }),
                      ),
                    { explain: explainConflict },
                  )
                }
              >
                {t('staff.change_role')}
              </Button>
            ) : null}
          </div>
        ) : (
          <>
            {t(`role.${person.role}`)}
            {guard === 'last_admin' && props.isAdmin ? <div class="muted small">{t('staff.last_admin')}</div> : null}
          </>
        )}
      </td>
      <td>
        <span class={`badge badge-user-${person.status}`}>{t(`staff.status_${person.status}`)}</span>
      </td>
      <td>{person.lastSignInAt ? formatDateTime(person.lastSignInAt) : t('staff.never')}</td>
      {props.isAdmin ? (
        <td>
          {mayChange ? (
            <Button
              kind={disabled ? 'secondary' : 'danger'}
              aria-label={t(disabled ? 'staff.enable_who' : 'staff.disable_who', { name: person.name })}
              onClick={() => setConfirming(true)}
            >
              {t(disabled ? 'staff.enable' : 'staff.disable')}
            </Button>
          ) : null}
          {mayChange ? (
            <PersonDataActions
              person={person}
              onErased={(erased, message) => props.onChanged({ ...erased, status: 'disabled' }, message)}
            />
          ) : null}
          {sending.error ? (
            <p class="field-error" role="alert">
              {sending.error}
            </p>
          ) : null}
          {confirming ? (
            <ConfirmDialog
              title={t(disabled ? 'staff.enable_title' : 'staff.disable_title', { name: person.name })}
              confirmLabel={t(disabled ? 'staff.enable' : 'staff.disable')}
              onCancel={() => setConfirming(false)}
              explain={explainConflict}
              onConfirm={async () => {
                await patch(
                  { status: disabled ? 'active' : 'disabled' },
                  t(disabled ? 'staff.enabled' : 'staff.disabled', { name: person.name }),
                );
                setConfirming(false);
              }}
            >
              <p>
                {t(disabled ? 'staff.enable_text' : 'staff.disable_text', {
                  name: person.name,
                  email: person.email,
                })}
              </p>
            </ConfirmDialog>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
