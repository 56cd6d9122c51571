// Evidence files: chosen with the picker (keyboard friendly) or dropped on the zone. Each file is
// checked (type, size), then uploaded at once with its own progress bar; the form sends the ids of
// the uploaded ones.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { Attachment } from '../api/types.js';
import { formatSize, t } from '../i18n/index.js';
import { acceptAttribute, checkFile, contentTypeOf, maxAttachmentBytes, uploadToPresignedPost } from '../lib/files.js';
import { errorText } from './common.js';

interface Item {
  key: string;
  name: string;
  size: number;
  progress: number;
  state: 'uploading' | 'done' | 'failed' | 'refused';
  error?: string;
  attachmentId?: string;
  abort?: () => void;
}

let counter = 0;

export function FileUploader(props: {
  id: string;
  onChange: (state: { attachmentIds: string[]; busy: boolean }) => void;
  error?: string;
  /** Changing it empties the list (after the form was sent). */
  resetKey?: number;
}) {
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const latest = useRef(items);
  latest.current = items;

  const update = (key: string, change: Partial<Item>) =>
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));

  useEffect(() => {
    props.onChange({
      attachmentIds: items.filter((i) => i.state === 'done' && i.attachmentId).map((i) => i.attachmentId as string),
      busy: items.some((i) => i.state === 'uploading'),
    });
  }, [items]);

  useEffect(() => {
    if (props.resetKey) setItems([]);
  }, [props.resetKey]);

  useEffect(
    () => () => {
      for (const item of latest.current) item.abort?.();
    },
    [],
  );

  async function start(file: File) {
    counter += 1;
    const key = `f${counter}`;
    const problem = checkFile(file);
    const item: Item = { key, name: file.name, size: file.size, progress: 0, state: 'uploading' };
    if (problem) {
      const error =
        problem === 'type'
          ? t('upload.bad_type')
          : problem === 'empty'
            ? t('upload.empty')
            : t('upload.too_big', { max: formatSize(maxAttachmentBytes) });
      setItems((list) => [...list, { ...item, state: 'refused', error }]);
      return;
    }
    setItems((list) => [...list, item]);
    try {
      const answer = await api.post<{
        attachment: Attachment;
        upload: { url: string; fields: Record<string, string> };
      }>('/attachments', { fileName: file.name, contentType: contentTypeOf(file.name), size: file.size });
      const transfer = uploadToPresignedPost(answer.upload, file, (fraction) =>
        update(key, { progress: Math.round(fraction * 100) }),
      );
      update(key, { abort: transfer.abort, attachmentId: answer.attachment.id });
      await transfer.done;
      update(key, { state: 'done', progress: 100, abort: undefined });
    } catch (error) {
      update(key, {
        state: 'failed',
        abort: undefined,
        error: error instanceof Error && error.name !== 'ApiError' ? t('upload.failed') : errorText(error),
      });
    }
  }

  const addFiles = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) void start(file);
  };

  const remove = (item: Item) => {
    item.abort?.();
    setItems((list) => list.filter((i) => i.key !== item.key));
    input.current?.focus();
  };

  return (
    // Dropping is a shortcut for pointer users; the file input inside is the keyboard's way in.
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target needs drag handlers, not a role
    <div
      class={dragging ? 'dropzone dropzone-active' : 'dropzone'}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        addFiles(event.dataTransfer?.files ?? null);
      }}
    >
      <input
        ref={input}
        id={props.id}
        type="file"
        multiple
        accept={acceptAttribute}
        aria-describedby={`${props.id}-hint${props.error ? ` ${props.id}-error` : ''}`}
        aria-invalid={props.error ? 'true' : undefined}
        onChange={(event) => {
          addFiles(event.currentTarget.files);
          event.currentTarget.value = '';
        }}
      />
      <p class="hint" id={`${props.id}-hint`}>
        {t('upload.hint', { max: formatSize(maxAttachmentBytes) })}
      </p>
      {items.length > 0 ? (
        <ul class="files" aria-label={t('upload.list')}>
          {items.map((item) => (
            <li key={item.key} class={`file file-${item.state}`}>
              <span class="file-name">{item.name}</span> <span class="muted">{formatSize(item.size)}</span>
              {item.state === 'uploading' || item.state === 'done' ? (
                <progress max={100} value={item.progress} aria-label={t('upload.progress', { name: item.name })} />
              ) : null}
              <span class="file-status" role={item.error ? 'alert' : undefined}>
                {item.state === 'uploading'
                  ? t('upload.uploading', { percent: item.progress })
                  : item.state === 'done'
                    ? t('upload.done')
                    : item.error}
              </span>
              <button
                type="button"
                class="btn-link"
                onClick={() => remove(item)}
                aria-label={t('upload.remove', { name: item.name })}
              >
                {t('upload.remove_short')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
