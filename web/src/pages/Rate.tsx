// The resolution e-mail's one-click rating (`/rate#token=…&score=N`): the score is recorded as the page
// opens, without signing in (the link's signed token stands for the requester), and the page offers the
// comment. The token is read from the fragment, which browsers never send (lib/link-token.ts takes it out of the
// address bar).
import { useEffect, useState } from 'preact/hooks';
import { send } from '../api/http.js';
import { t } from '../i18n/index.js';
import { linkToken, linkValue } from '../lib/link-token.js';
import { Alert, errorText, Page } from '../ui/common.js';
import { RatingForm } from '../ui/RatingForm.js';

function fromFragment(): { token: string; score: number } {
  return { token: linkToken(), score: Number(linkValue('score')) };
}

export function RatePage() {
  const [link] = useState(fromFragment);
  const [state, setState] = useState<'sending' | 'recorded' | 'invalid'>('sending');
  const [error, setError] = useState('');
  const rate = (rating: { score: number; comment?: string }) =>
    send('POST', '/satisfaction', { body: { token: link.token, ...rating } });

  useEffect(() => {
    if (!link.token || !(link.score >= 1 && link.score <= 5)) {
      setState('invalid');
      return;
    }
    rate({ score: link.score }).then(
      () => setState('recorded'),
      (e) => {
        setState('invalid');
        setError(errorText(e));
      },
    );
  }, []);

  return (
    <Page title={t('rate.title')}>
      {state === 'invalid' ? <Alert>{error || t('rate.badLink')}</Alert> : null}
      {state === 'recorded' ? (
        <>
          <Alert kind="success">{t('rate.recorded', { score: link.score })}</Alert>
          <RatingForm initialScore={link.score} submit={async (rating) => void (await rate(rating))} />
        </>
      ) : null}
    </Page>
  );
}
