// Signing in and getting in: login, invitation acceptance, forgotten and new password.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, send } from '../api/http.js';
import { minPasswordLength } from '../api/rules.js';
import type { InviteLookup, SessionAnswer } from '../api/types.js';
import { formatDateTime, t } from '../i18n/index.js';
import { useDraft } from '../lib/drafts.js';
import { Link, navigate, useLocation } from '../router.js';
import { adopt, login } from '../session.js';
import { Alert, Button, errorText, Field, fieldErrorsOf, fieldIds, Page, Spinner } from '../ui/common.js';
import { homeFor } from './home.js';

/** Only same-app paths are followed after signing in (never an outside address). */
export function safeNext(next: string | null): string | undefined {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : undefined;
}

export function LoginPage() {
  const { query } = useLocation();
  const [email, setEmail] = useDraft('login.email', '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const passwordInput = useRef<HTMLInputElement>(null);
  const emailInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (email ? passwordInput : emailInput).current?.focus();
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const user = await login(email.trim(), password);
      navigate(safeNext(query.get('next')) ?? homeFor(user), { replace: true });
    } catch (e) {
      setError(errorText(e));
      setPassword('');
      passwordInput.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('login.title')}>
      <form class="card form narrow" onSubmit={submit} noValidate>
        {query.get('expired') ? <Alert kind="info">{t('login.expired')}</Alert> : null}
        {error ? <Alert>{error}</Alert> : null}
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
        <Button type="submit" kind="primary" busy={busy}>
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
  const { query } = useLocation();
  const token = query.get('token') ?? '';
  const [invite, setInvite] = useState<InviteLookup | null>(null);
  const [lookupError, setLookupError] = useState<ApiError | null>(null);
  const [name, setName] = useDraft('invite.name', '');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    send<InviteLookup>('GET', '/invites/lookup', { query: { token } }).then(setInvite, (e) =>
      setLookupError(e instanceof ApiError ? e : new ApiError(0, 'network', 'failed')),
    );
  }, [token]);

  async function submit(event: Event) {
    event.preventDefault();
    const found = passwordProblems(password, confirm);
    if (!name.trim()) found.name = t('issue.required');
    setErrors(found);
    setError('');
    if (Object.keys(found).length > 0) return focusFirstInvalid(event.currentTarget as HTMLFormElement);
    setBusy(true);
    try {
      const answer = await send<SessionAnswer>('POST', '/invites/accept', {
        body: { token, name: name.trim(), password },
      });
      const user = adopt(answer);
      navigate(homeFor(user), { replace: true });
    } catch (e) {
      setErrors(fieldErrorsOf(e));
      setError(errorText(e));
    } finally {
      setBusy(false);
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
      <form class="card form narrow" onSubmit={submit} noValidate>
        <p class="lead">{t('invite.intro', { group: invite.groupName })}</p>
        <p class="muted">{t('invite.expires', { date: formatDateTime(invite.expiresAt) })}</p>
        {error ? <Alert>{error}</Alert> : null}
        <Field id="invite-email" label={t('field.email')}>
          <input id="invite-email" type="email" value={invite.email} readOnly autocomplete="username" />
        </Field>
        <Field id="invite-name" label={t('field.name')} error={errors.name} required>
          <input
            {...fieldIds('invite-name', errors.name)}
            autocomplete="name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <PasswordFields
          password={password}
          confirm={confirm}
          setPassword={setPassword}
          setConfirm={setConfirm}
          errors={errors}
        />
        <Button type="submit" kind="primary" busy={busy}>
          {t('invite.submit')}
        </Button>
      </form>
    </Page>
  );
}

function passwordProblems(password: string, confirm: string): Record<string, string> {
  const problems: Record<string, string> = {};
  if (password.length < minPasswordLength) problems.password = t('issue.password_short', { min: minPasswordLength });
  else if (password !== confirm) problems.confirm = t('issue.password_mismatch');
  return problems;
}

function focusFirstInvalid(form: HTMLFormElement): void {
  // After the error texts are rendered.
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

function PasswordFields(props: {
  password: string;
  confirm: string;
  setPassword: (v: string) => void;
  setConfirm: (v: string) => void;
  errors: Record<string, string>;
}) {
  const hint = t('field.password_hint', { min: minPasswordLength });
  return (
    <>
      <Field id="new-password" label={t('field.new_password')} error={props.errors.password} hint={hint} required>
        <input
          {...fieldIds('new-password', props.errors.password, hint)}
          type="password"
          autocomplete="new-password"
          value={props.password}
          onInput={(e) => props.setPassword(e.currentTarget.value)}
        />
      </Field>
      <Field id="confirm-password" label={t('field.confirm_password')} error={props.errors.confirm} required>
        <input
          {...fieldIds('confirm-password', props.errors.confirm)}
          type="password"
          autocomplete="new-password"
          value={props.confirm}
          onInput={(e) => props.setConfirm(e.currentTarget.value)}
        />
      </Field>
    </>
  );
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useDraft('login.email', '');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      await send('POST', '/auth/password-reset', { body: { email: email.trim() } });
      setSent(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
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
          {error ? <Alert>{error}</Alert> : null}
          <Field id="forgot-email" label={t('field.email')} required>
            <input
              id="forgot-email"
              type="email"
              autocomplete="email"
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </Field>
          <Button type="submit" kind="primary" busy={busy}>
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
  const { query } = useLocation();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const found = passwordProblems(password, confirm);
    setErrors(found);
    setError('');
    if (Object.keys(found).length > 0) return focusFirstInvalid(event.currentTarget as HTMLFormElement);
    setBusy(true);
    try {
      await send('POST', '/auth/password-reset/confirm', { body: { token: query.get('token') ?? '', password } });
      setDone(true);
    } catch (e) {
      setErrors(fieldErrorsOf(e));
      setError(e instanceof ApiError && e.code === 'gone' ? t('reset.gone') : errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('reset.title')}>
      {done ? (
        <Alert kind="success" focus>
          {t('reset.done')} <Link href="/login">{t('login.submit')}</Link>
        </Alert>
      ) : (
        <form class="card form narrow" onSubmit={submit} noValidate>
          {error ? <Alert>{error}</Alert> : null}
          <PasswordFields
            password={password}
            confirm={confirm}
            setPassword={setPassword}
            setConfirm={setConfirm}
            errors={errors}
          />
          <Button type="submit" kind="primary" busy={busy}>
            {t('reset.submit')}
          </Button>
        </form>
      )}
    </Page>
  );
}
