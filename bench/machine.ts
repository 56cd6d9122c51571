// The machine a run happened on, printed above the table and stored with the results: figures from a
// 2-core laptop and from a 16-core workstation are not comparable, and a reader must be able to tell.
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  load: number;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    load: Math.round((loadavg()[0] ?? 0) * 10) / 10,
  };
}

export const describeMachine = (m: Machine): string =>
  `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node.js ${m.node.replace(/^v/, '')} (${m.platform}), load ${m.load}`;
