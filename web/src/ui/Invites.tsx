// Invitations, for a group (customers) and for the staff (with a role): the form that sends one and the
// table of those sent, with each e-mail's delivery status, resend and revoke.
import { useState } from 'preact/hooks';
import { staff } from '../../../shared/domain/roles.js';
import { api } from '../api/client.js';
import type { Invite, StaffRole } from '../api/types.js';
import { formatDateTime, t } from '../i18n/index.js';
import { Alert, Button, ConfirmDialog, Field, fieldIds, Loaded, Select, useSubmit } from './common.js';

export const roleChoices = () => staff.map((role) => ({ value: role, label: t(`role.${role}`) }));

/** Sends an invitation to `path`; with `withRole`, the person chooses the staff role it gives. */
export function InviteForm(props: { path: string; withRole?: boolean; onInvited: (invite: Invite) => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('agent');
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
            const { invite } = await api.post<{ invite: Invite }>(props.path, {
              email: email.trim(),
              ...(name.trim() ? { name: name.trim() } : {}),
              ...(props.withRole ? { role } : {}),
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
      {props.withRole ? (
        <Field id="invite-new-role" label={t('field.role')} error={errors.role} required>
          <Select
            {...fieldIds('invite-new-role', errors.role)}
            value={role}
            choices={roleChoices()}
            onValue={(value) => setRole(value as StaffRole)}
          />
        </Field>
      ) : null}
      <Button type="submit" kind="primary" busy={sending.busy}>
        {t('admin.invite')}
      </Button>
      {sending.error ? <Alert>{sending.error}</Alert> : null}
    </form>
  );
}

/** The invitations sent (`null` while loading); `withRole` adds the role each one gives. */
export function InviteTable(props: {
  invites: Invite[] | null;
  withRole?: boolean;
  onChange: (invite: Invite) => void;
}) {
  return (
    <Loaded items={props.invites} empty={t('admin.no_invites')}>
      {(list) => (
        <table class="tickets">
          <thead>
            <tr>
              <th scope="col">{t('field.email')}</th>
              {props.withRole ? <th scope="col">{t('field.role')}</th> : null}
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
              <InviteRow key={invite.id} invite={invite} withRole={props.withRole} onChange={props.onChange} />
            ))}
          </tbody>
        </table>
      )}
    </Loaded>
  );
}

function InviteRow(props: { invite: Invite; withRole?: boolean; onChange: (invite: Invite) => void }) {
  const { invite } = props;
  const { busy, error, submit } = useSubmit();
  const [revoking, setRevoking] = useState(false);
  return (
    <tr>
      <td>{invite.email}</td>
      {props.withRole ? <td>{t(`role.${invite.role}`)}</td> : null}
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
                submit(async () =>
                  props.onChange((await api.post<{ invite: Invite }>(`/invites/${invite.id}/resend`, {})).invite),
                )
              }
            >
              {t('admin.resend')}
            </Button>
            {invite.status === 'pending' ? (
              <Button
                kind="danger"
                busy={busy}
                aria-label={t('admin.revoke_to', { email: invite.email })}
                onClick={() => setRevoking(true)}
              >
                {t('admin.revoke')}
              </Button>
            ) : null}
          </div>
        ) : null}
        {revoking ? (
          <ConfirmDialog
            title={t('admin.revoke_title')}
            confirmLabel={t('admin.revoke')}
            onCancel={() => setRevoking(false)}
            onConfirm={async () => {
              await api.delete(`/invites/${invite.id}`);
              setRevoking(false);
              props.onChange({ ...invite, status: 'revoked' });
            }}
          >
            <p>{t('admin.revoke_confirm', { email: invite.email })}</p>
          </ConfirmDialog>
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
