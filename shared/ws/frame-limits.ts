// The limits every frame meets in the WebSocket pipeline (shared/ws/handler.ts): its rate per connection,
// and, for a frame refused for its size, the `requestId` it carried, so that even that error tells the
// client which send failed (api.md, "Realtime").
import { limits } from '../domain/limits.js';
import { enforce } from '../limits/limiter.js';
import { type Middleware, stateOf } from '../middleware.js';

/** What these middlewares read of a WebSocket route's event. */
interface FrameEvent {
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { connectionId: string };
}

/** 20 frames per second per connection, bursts of 40 (limits.frames); beyond, an error frame `rate_limited`. */
export function frameRate<E extends FrameEvent>(): Middleware<E> {
  return {
    async before(request) {
      const { connectionId } = request.event.requestContext;
      await enforce('frames', connectionId, limits.frames, { connectionId });
    },
  };
}

/**
 * An oversized frame is not parsed, but its `requestId` is read from its first bytes (a client that puts it
 * first always gets it back), so the `payload_too_large` error echoes it.
 */
export function oversizeRequestId<E extends FrameEvent>(limit: () => number): Middleware<E> {
  return {
    before(request) {
      const { body, isBase64Encoded } = request.event;
      if (body === undefined || isBase64Encoded || Buffer.byteLength(body) <= limit()) return;
      const requestId = leadingRequestId(body);
      if (requestId === undefined) return;
      const state = stateOf(request.context);
      state.clientRequestId = requestId;
      state.requestId = requestId;
    },
  };
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The top-level `requestId` of a JSON object, read from at most the first `budget` characters of `text`
 * (members before it are skipped, nested ones ignored); undefined when it is not there, not a string of
 * the allowed form, or the text is not a JSON object that far.
 */
export function leadingRequestId(text: string, budget = 4096): string | undefined {
  const end = Math.min(text.length, budget);
  const space = (i: number) => {
    while (i < end && ' \t\n\r'.includes(text[i] as string)) i++;
    return i;
  };
  /** The string starting at `i` (a quote) and where it ends, or undefined when it runs past the budget. */
  const string = (i: number): { value: string; next: number } | undefined => {
    for (let j = i + 1; j < end; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === '"') {
        try {
          return { value: JSON.parse(text.slice(i, j + 1)) as string, next: j + 1 };
        } catch {
          return undefined;
        }
      }
    }
    return undefined;
  };
  /** Where the value starting at `i` ends. */
  const skipValue = (i: number): number | undefined => {
    if (text[i] === '"') return string(i)?.next;
    if (text[i] === '{' || text[i] === '[') {
      let depth = 0;
      for (let j = i; j < end; j++) {
        const c = text[j];
        if (c === '"') {
          const s = string(j);
          if (!s) return undefined;
          j = s.next - 1;
        } else if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') {
          depth--;
          if (depth === 0) return j + 1;
        }
      }
      return undefined;
    }
    let j = i;
    while (j < end && !',}] \t\n\r'.includes(text[j] as string)) j++;
    return j < end && j > i ? j : undefined;
  };
  let i = space(0);
  if (text[i] !== '{') return undefined;
  for (i = space(i + 1); i < end; ) {
    const key = text[i] === '"' ? string(i) : undefined;
    if (!key) return undefined;
    i = space(key.next);
    if (text[i] !== ':') return undefined;
    i = space(i + 1);
    if (key.value === 'requestId') {
      const value = text[i] === '"' ? string(i)?.value : undefined;
      return value !== undefined && requestIdPattern.test(value) ? value : undefined;
    }
    const next = skipValue(i);
    if (next === undefined) return undefined;
    i = space(next);
    if (text[i] !== ',') return undefined;
    i = space(i + 1);
  }
  return undefined;
}
