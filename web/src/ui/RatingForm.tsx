// The rating form: a score from 1 to 5 and an optional comment. The ticket page sends it signed in; the
// rate page (the resolution e-mail's one-click link) with the link's token.
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { Alert, Button, errorText } from './common.js';

export function RatingForm(props: {
  initialScore?: number;
  submit: (rating: { score: number; comment?: string }) => Promise<void>;
}) {
  const [score, setScore] = useState(props.initialScore ?? 0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [sent, setSent] = useState(false);
  return (
    <form
      class="rating-form card"
      onSubmit={async (event) => {
        event.preventDefault();
        if (score < 1) return;
        setBusy(true);
        setError('');
        setSent(false);
        try {
          await props.submit({ score, ...(comment.trim() ? { comment: comment.trim() } : {}) });
          setSent(true);
        } catch (e) {
          setError(errorText(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <fieldset>
        <legend>{t('rate.score')}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} class="rating-choice">
            <input type="radio" name="score" value={n} checked={score === n} onChange={() => setScore(n)} />
            <span>{t('rate.scoreOf', { score: n })}</span>
          </label>
        ))}
      </fieldset>
      <label for="rating-comment">{t('rate.comment')}</label>
      <textarea id="rating-comment" value={comment} onInput={(e) => setComment(e.currentTarget.value)} rows={3} />
      <p class="hint">{t('rate.hint')}</p>
      <Button type="submit" kind="primary" busy={busy} disabled={score < 1}>
        {t('rate.send')}
      </Button>
      {error ? <Alert>{error}</Alert> : null}
      {sent ? <Alert kind="success">{t('rate.sent')}</Alert> : null}
    </form>
  );
}
