// What a person typed, kept in sessionStorage so that an expired session (back to login and here
// again) or a reload does not lose it. Cleared on logout and when the text has been sent.
import { useCallback, useState } from 'preact/hooks';

const prefix = 'atende.draft.';

function load<T>(key: string, initial: T): T {
  try {
    const raw = sessionStorage.getItem(prefix + key);
    return raw === null ? initial : (JSON.parse(raw) as T);
  } catch {
    return initial;
  }
}

export function saveDraft<T>(key: string, value: T): void {
  try {
    sessionStorage.setItem(prefix + key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the draft only lives in memory then.
  }
}

export function dropDraft(key: string): void {
  sessionStorage.removeItem(prefix + key);
}

export function clearDrafts(): void {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(prefix)) sessionStorage.removeItem(key);
}

/** Like useState, but the value survives reloads and re-login within the tab. */
export function useDraft<T>(key: string, initial: T): [T, (value: T) => void, () => void] {
  const [value, setValue] = useState<T>(() => load(key, initial));
  const update = useCallback(
    (next: T) => {
      setValue(next);
      saveDraft(key, next);
    },
    [key],
  );
  const clear = useCallback(() => {
    dropDraft(key);
    setValue(initial);
  }, [key, initial]);
  return [value, update, clear];
}
