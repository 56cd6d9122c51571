import { vi } from 'vitest';

type Stream = 'stdout' | 'stderr';

function capture(streams: readonly Stream[]): { lines(): string[]; restore(): void } {
  const chunks: string[] = [];
  const spies = streams.map((name) =>
    vi.spyOn(process[name], 'write').mockImplementation((chunk) => {
      chunks.push(String(chunk));
      return true;
    }),
  );
  return {
    lines: () => chunks.join('').split('\n').filter(Boolean),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/**
 * Runs `act` and returns the lines it printed on stdout, where Powertools writes INFO lines and metrics
 * (pass both streams for WARN and ERROR lines, which go to stderr).
 */
export function printedLines(act: () => void, streams: readonly Stream[] = ['stdout']): string[] {
  const printed = capture(streams);
  try {
    act();
  } finally {
    printed.restore();
  }
  return printed.lines();
}

/** printedLines for an `act` that has to be awaited. */
export async function printedLinesOf(act: () => Promise<void>, streams: readonly Stream[] = ['stdout']) {
  const printed = capture(streams);
  try {
    await act();
  } finally {
    printed.restore();
  }
  return printed.lines();
}
