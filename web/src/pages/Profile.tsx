// The person's own profile: the name others see and whether Atende may e-mail them about their tickets
// (`PATCH /me`), and the download of everything Atende holds about them ("Baixar meus dados"). The form
// starts from `GET /me`, not from the copy kept with the session, so what it shows is what the server holds.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { User } from '../api/types.js';
import { t } from '../i18n/index.js';
import { updateUser } from '../session.js';
import { Alert, Button, errorText, Field, fieldIds, Page, Spinner, useSubmit } from '../ui/common.js';
import { DownloadMyData } from './privacy.js';

export function ProfilePage() {
  const [user, setUser] = useState<User | null>(null);
  const [loadError, setLoadError] = useState('');
  useEffect(() => {
    api.get<{ user: User }>('/me').then(
      ({ user }) => {
        updateUser(user);
        setUser(user);
      },
      (e) => setLoadError(errorText(e)),
    );
  }, []);
  return (
    <Page title={t('profile.title')}>
      {loadError ? <Alert>{loadError}</Alert> : user ? <ProfileForm user={user} /> : <Spinner />}
      <DownloadMyData />
    </Page>
  );
}

function ProfileForm(props: { user: User }) {
  const [name, setName] = useState(props.user.name);
  const [emailNotifications, setEmailNotifications] = useState(props.user.notifications.email);
  const [saved, setSaved] = useState(false);
  const sending = useSubmit();
  const { errors } = sending;
  return (
    <form
      ref={sending.form}
      class="card form narrow"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        void sending.submit(
          async () => {
            const { user } = await api.patch<{ user: User }>('/me', {
              name: name.trim(),
              notifications: { email: emailNotifications },
            });
            updateUser(user);
            setName(user.name);
            setEmailNotifications(user.notifications.email);
            setSaved(true);
          },
          { problems: name.trim() ? {} : { name: t('issue.required') } },
        );
      }}
    >
      {saved ? (
        <Alert kind="success" focus>
          {t('profile.saved')}
        </Alert>
      ) : null}
      {sending.error ? <Alert>{sending.error}</Alert> : null}
      <Field id="profile-email" label={t('field.email')}>
        <input id="profile-email" type="email" value={props.user.email} readOnly autocomplete="username" />
      </Field>
      <Field id="profile-name" label={t('field.name')} error={errors.name} required>
        <input
          {...fieldIds('profile-name', errors.name)}
          autocomplete="name"
          value={name}
          onInput={(e) => {
            setSaved(false);
            setName(e.currentTarget.value);
          }}
        />
      </Field>
      <div class="field">
        <label class="check">
          <input
            type="checkbox"
            aria-describedby="profile-notifications-hint"
            checked={emailNotifications}
            onChange={(e) => {
              setSaved(false);
              setEmailNotifications(e.currentTarget.checked);
            }}
          />{' '}
          {t('profile.email_notifications')}
        </label>
        <p class="hint" id="profile-notifications-hint">
          {t('profile.email_notifications_hint')}
        </p>
      </div>
      <Button type="submit" kind="primary" busy={sending.busy}>
        {t('profile.save')}
      </Button>
    </form>
  );
}
