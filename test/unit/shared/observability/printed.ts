import { vi } from 'vitest';

/** Runs `act` and returns the lines it printed on stdout (where Powertools writes). */
export function printedLines(act: () => void): string[] {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('').split('\n').filter(Boolean);
}
