// A person's data under the LGPD (docs/privacy.md): "Baixar meus dados" on the profile page, and on the admin
// pages an admin's export of someone and their erasure (with a reason, after a confirmation).
import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { User } from '../api/types.js';
import { t } from '../i18n/index.js';
import { Alert, Button, ConfirmDialog, Field, fieldIds, useSubmit } from '../ui/common.js';

type ExportAnswer = { export: unknown } | { downloadUrl: string };

/** Saves the export as a file: the document itself when inline, else the bucket's link (valid 5 minutes). */
function download(answer: ExportAnswer, fileName: string): void {
  const link = document.createElement('a');
  let objectUrl: string | undefined;
  if ('downloadUrl' in answer) {
    link.href = answer.downloadUrl;
  } else {
    objectUrl = URL.createObjectURL(
      new Blob([JSON.stringify(answer.export, null, 2)], { type: 'application/json;charset=utf-8' }),
    );
    link.href = objectUrl;
    link.download = fileName;
  }
  document.body.append(link);
  link.click();
  link.remove();
  if (objectUrl) setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
}

/** The profile page's "Baixar meus dados". */
export function DownloadMyData() {
  const sending = useSubmit();
  const [done, setDone] = useState(false);
  return (
    <section class="card narrow" aria-labelledby="my-data-title">
      <h2 id="my-data-title" class="h3">
        {t('privacy.my_data')}
      </h2>
      <p class="hint">{t('privacy.my_data_hint')}</p>
      {sending.error ? <Alert>{sending.error}</Alert> : null}
      {done ? (
        <Alert kind="success" focus>
          {t('privacy.downloaded')}
        </Alert>
      ) : null}
      <Button
        busy={sending.busy}
        onClick={() =>
          void sending.submit(async () => {
            setDone(false);
            download(await api.get<ExportAnswer>('/me/data-export'), 'atende-meus-dados.json');
            setDone(true);
          })
        }
      >
        {t('privacy.download_mine')}
      </Button>
    </section>
  );
}

/** An admin's export and erasure of `person`. */
export function PersonDataActions(props: { person: User; onErased: (person: User, message: string) => void }) {
  const { person } = props;
  const exporting = useSubmit();
  const [erasing, setErasing] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState('');
  return (
    <span class="inline">
      <Button
        busy={exporting.busy}
        aria-label={t('privacy.export_of', { name: person.name })}
        onClick={() =>
          void exporting.submit(async () =>
            download(await api.get<ExportAnswer>(`/users/${person.id}/data-export`), `atende-dados-${person.id}.json`),
          )
        }
      >
        {t('privacy.export')}
      </Button>
      <Button
        kind="danger"
        aria-label={t('privacy.erase_who', { name: person.name })}
        onClick={() => {
          setReason('');
          setReasonError('');
          setErasing(true);
        }}
      >
        {t('privacy.erase')}
      </Button>
      {exporting.error ? (
        <span class="field-error" role="alert">
          {exporting.error}
        </span>
      ) : null}
      {erasing ? (
        <ConfirmDialog
          title={t('privacy.erase_title', { name: person.name })}
          confirmLabel={t('privacy.erase_confirm')}
          onCancel={() => setErasing(false)}
          onConfirm={async () => {
            if (!reason.trim()) {
              setReasonError(t('issue.required'));
              return;
            }
            await api.post(`/users/${person.id}/erase`, { reason: reason.trim() });
            setErasing(false);
            props.onErased(person, t('privacy.erase_started', { name: person.name }));
          }}
        >
          <p>{t('privacy.erase_text', { name: person.name, email: person.email })}</p>
          <Field id="erase-reason" label={t('privacy.reason')} error={reasonError} required>
            <textarea
              {...fieldIds('erase-reason', reasonError)}
              maxLength={500}
              value={reason}
              onInput={(e) => {
                setReasonError('');
                setReason(e.currentTarget.value);
              }}
            />
          </Field>
          <p class="hint">{t('privacy.reason_hint')}</p>
        </ConfirmDialog>
      ) : null}
    </span>
  );
}
