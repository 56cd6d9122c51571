// Signing in and getting in: login, invitation acceptance, forgotten and new password.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, send } from '../api/http.js';
import { minPasswordLength } from '../api/rules.js';
import type { InviteLookup, SessionAnswer } from '../api/types.js';
import { formatDateTime, t } from '../i18n/index.js';
import { useDraft } from '../lib/drafts.js';
import { linkToken } from '../lib/link-token.js';
import { acceptBody } from '../lib/people.js';
import { Link, navigate, useLocation } from '../router.js';
import { adopt, login } from '../session.js';
import { Alert, Button, errorText, Field, fieldIds, Page, Spinner, useSubmit } from '../ui/common.js';
import { homeFor } from './home.js';

/** Only same-app paths are followed after signing in (never an outside address). */
export function safeNext(next: string | null): string | undefined {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : undefined;
}

export function LoginPage() {
  const { query } = useLocation();
  const [email, setEmail] = useDraft('login.email', '');
  const [password, setPassword] = useState('');
  const sending = useSubmit();
  const passwordInput = useRef<HTMLInputElement>(null);
  const emailInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (email ? passwordInput : emailInput).current?.focus();
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    const signedIn = await sending.submit(async () => {
      const user = await login(email.trim(), password);
      navigate(safeNext(query.get('next')) ?? homeFor(user), { replace: true });
    });
    if (!signedIn) {
      setPassword('');
      passwordInput.current?.focus();
    }
  }

  return (
    <Page title={t('login.title')}>
      <form class="card form narrow" onSubmit={submit} noValidate>
        {query.get('expired') ? <Alert kind="info">{t('login.expired')}</Alert> : null}
        {query.get('signed_out') === 'everywhere' ? (
          <Alert kind="info">{t('login.signed_out_everywhere')}</Alert>
        ) : null}
        {sending.error ? <Alert>{sending.error}</Alert> : null}
        <Field id="login-email" label={t('field.email')} required>
          <input
            ref={emailInput}
            id="login-email"
            type="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
        <Field id="login-password" label={t('field.password')} required>
          <input
            ref={passwordInput}
            id="login-password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <Button type="submit" kind="primary" busy={sending.busy}>
          {t('login.submit')}
        </Button>
        <p>
          <Link href="/forgot-password">{t('login.forgot')}</Link>
        </p>
      </form>
    </Page>
  );
}

export function AcceptInvitePage() {
  const token = linkToken();
  const [invite, setInvite] = useState<InviteLookup | null>(null);
  const [lookupError, setLookupError] = useState<ApiError | null>(null);
  const [name, setName] = useDraft('invite.name', '');
  const newPassword = useNewPassword();
  const [password, setPassword] = useState('');
  const passwordInput = useRef<HTMLInputElement>(null);
  const sending = useSubmit();

  useEffect(() => {
    send<InviteLookup>('GET', '/invites/lookup', { query: { token } }).then(setInvite, (e) =>
      setLookupError(e instanceof ApiError ? e : new ApiError(0, 'network', 'failed')),
    );
  }, [token]);

  async function submit(event: Event) {
    event.preventDefault();
    if (!invite) return;
    // An existing account proves it is its owner with its password; a new one chooses a name and a password.
    const existing = invite.existingAccount;
    const problems: Record<string, string> = {};
    if (existing) {
      if (!password) problems.password = t('issue.required');
    } else {
      Object.assign(problems, passwordProblems(newPassword));
      if (!name.trim()) problems.name = t('issue.required');
    }
    const accepted = await sending.submit(
      async () => {
        const body = acceptBody(token, existing, { name, password: existing ? password : newPassword.password });
        const answer = await send<SessionAnswer>('POST', '/invites/accept', { body });
        navigate(homeFor(adopt(answer)), { replace: true });
      },
      { problems },
    );
    if (!accepted && existing) {
      setPassword('');
      passwordInput.current?.focus();
    }
  }

  if (lookupError) {
    return (
      <Page title={t('invite.title')}>
        <Alert>{lookupError.code === 'gone' ? t('invite.gone') : errorText(lookupError)}</Alert>
        <p>
          <Link href="/login">{t('login.title')}</Link>
        </p>
      </Page>
    );
  }
  if (!invite) return <Spinner />;
  return (
    <Page title={t('invite.title')}>
      <form ref={sending.form} class="card form narrow" onSubmit={submit} noValidate>
        <p class="lead">
          {invite.groupName === null
            ? t('invite.intro_staff', { role: t(`role.${invite.role}`) })
            : t('invite.intro', { group: invite.groupName })}
        </p>
        {invite.existingAccount ? <p>{t('invite.existing_account')}</p> : null}
        <p class="muted">{t('invite.expires', { date: formatDateTime(invite.expiresAt) })}</p>
        {sending.error ? <Alert>{sending.error}</Alert> : null}
        <Field id="invite-email" label={t('field.email')}>
          <input id="invite-email" type="email" value={invite.email} readOnly autocomplete="username" />
        </Field>
        {invite.existingAccount ? (
          <Field id="invite-password" label={t('field.password')} error={sending.errors.password} required>
            <input
              {...fieldIds('invite-password', sending.errors.password)}
              ref={passwordInput}
              type="password"
              autocomplete="current-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </Field>
        ) : (
          <>
            <Field id="invite-name" label={t('field.name')} error={sending.errors.name} required>
              <input
                {...fieldIds('invite-name', sending.errors.name)}
                autocomplete="name"
                value={name}
                onInput={(e) => setName(e.currentTarget.value)}
              />
            </Field>
            <PasswordFields value={newPassword} errors={sending.errors} />
          </>
        )}
        <Button type="submit" kind="primary" busy={sending.busy}>
          {invite.existingAccount ? t('invite.submit_existing') : t('invite.submit')}
        </Button>
      </form>
    </Page>
  );
}

/** A new password, typed twice. */
function useNewPassword() {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  return { password, setPassword, confirm, setConfirm };
}
type NewPassword = ReturnType<typeof useNewPassword>;

function passwordProblems({ password, confirm }: NewPassword): Record<string, string> {
  const problems: Record<string, string> = {};
  if (password.length < minPasswordLength) problems.password = t('issue.password_short', { min: minPasswordLength });
  else if (password !== confirm) problems.confirm = t('issue.password_mismatch');
  return problems;
}

function PasswordFields(props: { value: NewPassword; errors: Record<string, string> }) {
  const { value, errors } = props;
  const hint = t('field.password_hint', { min: minPasswordLength });
  return (
    <>
      <Field id="new-password" label={t('field.new_password')} error={errors.password} hint={hint} required>
        <input
          {...fieldIds('new-password', errors.password, hint)}
          type="password"
          autocomplete="new-password"
          value={value.password}
          onInput={(e) => value.setPassword(e.currentTarget.value)}
        />
      </Field>
      <Field id="confirm-password" label={t('field.confirm_password')} error={errors.confirm} required>
        <input
          {...fieldIds('confirm-password', errors.confirm)}
          type="password"
          autocomplete="new-password"
          value={value.confirm}
          onInput={(e) => value.setConfirm(e.currentTarget.value)}
        />
      </Field>
    </>
  );
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useDraft('login.email', '');
  const [sent, setSent] = useState(false);
  const sending = useSubmit();

  function submit(event: Event) {
    event.preventDefault();
    void sending.submit(async () => {
      await send('POST', '/auth/password-reset', { body: { email: email.trim() } });
      setSent(true);
    });
  }

  return (
    <Page title={t('forgot.title')}>
      {sent ? (
        <Alert kind="success" focus>
          {t('forgot.sent')}
        </Alert>
      ) : (
        <form class="card form narrow" onSubmit={submit} noValidate>
          <p>{t('forgot.intro')}</p>
          {sending.error ? <Alert>{sending.error}</Alert> : null}
          <Field id="forgot-email" label={t('field.email')} required>
            <input
              id="forgot-email"
              type="email"
              autocomplete="email"
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </Field>
          <Button type="submit" kind="primary" busy={sending.busy}>
            {t('forgot.submit')}
          </Button>
        </form>
      )}
      <p>
        <Link href="/login">{t('common.back_to_login')}</Link>
      </p>
    </Page>
  );
}

export function ResetPasswordPage() {
  const newPassword = useNewPassword();
  const [done, setDone] = useState(false);
  const sending = useSubmit();

  function submit(event: Event) {
    event.preventDefault();
    void sending.submit(
      async () => {
        await send('POST', '/auth/password-reset/confirm', {
          body: { token: linkToken(), password: newPassword.password },
        });
        setDone(true);
      },
      {
        problems: passwordProblems(newPassword),
        explain: (e) => (e instanceof ApiError && e.code === 'gone' ? t('reset.gone') : undefined),
      },
    );
  }

  return (
    <Page title={t('reset.title')}>
      {done ? (
        <Alert kind="success" focus>
          {t('reset.done')} <Link href="/login">{t('login.submit')}</Link>
        </Alert>
      ) : (
        <form ref={sending.form} class="card form narrow" onSubmit={submit} noValidate>
          {sending.error ? <Alert>{sending.error}</Alert> : null}
          <PasswordFields value={newPassword} errors={sending.errors} />
          <Button type="submit" kind="primary" busy={sending.busy}>
            {t('reset.submit')}
          </Button>
        </form>
      )}
    </Page>
  );
}
