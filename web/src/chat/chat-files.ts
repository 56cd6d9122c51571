// Files in the chat: a file chosen with the widget's button or a screenshot pasted into its message box is
// uploaded the way the portal uploads evidence (POST /attachments, then the presigned POST) and sent as a
// message carrying it.
import { api } from '../api/client.js';
import { checkFile, contentTypeOf, type FileProblem, uploadToPresignedPost } from '../lib/files.js';

/** A pasted screenshot has no useful name ("image.png"): it gets one that says what it is and when. */
export function pastedName(file: File, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return file.type === 'image/png'
    ? `captura-${stamp}.png`
    : file.type === 'image/jpeg'
      ? `captura-${stamp}.jpg`
      : file.name;
}

/** The files among what was pasted (text pastes as text, as usual). */
export const pastedFiles = (data: DataTransfer | null): File[] =>
  Array.from(data?.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((file): file is File => file !== null);

export class ChatFileRefused extends Error {
  constructor(readonly problem: FileProblem) {
    super(`file refused: ${problem}`);
  }
}

/** Uploads `file` under `fileName` and answers its attachment id, ready for message.send. */
export async function uploadChatFile(file: Blob, fileName: string): Promise<string> {
  const problem = checkFile({ name: fileName, size: file.size });
  if (problem) throw new ChatFileRefused(problem);
  const contentType = contentTypeOf(fileName) ?? file.type;
  const { attachment, upload } = await api.post<{
    attachment: { id: string };
    upload: { url: string; fields: Record<string, string> };
  }>('/attachments', { fileName, contentType, size: file.size });
  await uploadToPresignedPost(upload, file, () => {}).done;
  return attachment.id;
}
