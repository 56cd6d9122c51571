// What the API accepts as evidence (docs/api.md, POST /attachments): checked here before any upload so a
// person learns at once that a file cannot go, instead of after waiting for it. A copy of the rules in
// shared/domain/attachments.ts, which builds zod schemas when it loads (importing it would put zod in the
// bundle); test/unit/web/src/lib/files.test.ts keeps the two equal.

export const maxAttachmentBytes = 10 * 1024 * 1024;

/** Extension → the content type sent to the API (browsers disagree on some, e.g. xml and csv). */
const typesByExtension: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  xml: 'application/xml',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
};

export const acceptAttribute = Object.keys(typesByExtension)
  .map((ext) => `.${ext}`)
  .join(',');

export type FileProblem = 'type' | 'size' | 'empty';

export function contentTypeOf(fileName: string): string | undefined {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  return fileName.includes('.') ? typesByExtension[ext] : undefined;
}

export function checkFile(file: { name: string; size: number }): FileProblem | undefined {
  if (!contentTypeOf(file.name)) return 'type';
  if (file.size === 0) return 'empty';
  if (file.size > maxAttachmentBytes) return 'size';
  return undefined;
}

/**
 * Sends a file to the S3 presigned POST the API handed out. XMLHttpRequest, because fetch still
 * reports no upload progress.
 */
export function uploadToPresignedPost(
  upload: { url: string; fields: Record<string, string> },
  file: Blob,
  onProgress: (fraction: number) => void,
): { done: Promise<void>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<void>((resolve, reject) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(upload.fields)) form.append(key, value);
    form.append('file', file);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new Error(`upload failed with HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error('upload failed'));
    xhr.onabort = () => reject(new Error('upload aborted'));
    xhr.open('POST', upload.url);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
