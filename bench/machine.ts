/** The machine a run was made on, recorded with its figures: numbers mean little without it. */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

export interface MachineInfo {
  date: string;
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  uname: string;
  java: string | null;
  /** 1-minute load average when the run began: other work on the machine skews every figure. */
  loadAtStart: number;
  /** The commit the run was made from, and whether the work tree had changes on top of it. */
  commit: string | null;
  dirty: boolean | null;
}

/** A command's first line of output (stdout, else stderr: `java -version` writes there), or null. */
function firstLine(command: string, args: string[], cwd?: string): string | null {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 10_000 });
  if (result.error || result.status !== 0) return null;
  return (result.stdout.trim() || result.stderr.trim()).split('\n')[0] ?? null;
}

export function machineInfo(now = new Date()): MachineInfo {
  const root = join(__dirname, '..');
  const status = spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8', timeout: 10_000 });
  return {
    date: now.toISOString(),
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    uname: firstLine('uname', ['-a']) ?? 'unknown',
    java: firstLine('java', ['-version']),
    loadAtStart: Math.round(loadavg()[0]! * 100) / 100,
    commit: firstLine('git', ['rev-parse', '--short', 'HEAD'], root),
    dirty: status.status === 0 ? status.stdout.trim().length > 0 : null,
  };
}
