/**
 * Where the CPU went during a cell: this process (the handlers or the raw driver, plus the load generator),
 * the database server process the run started, and the whole machine (the rest is e.g. wineserver). On a
 * 2-core machine this tells whether a cell was bound by the client, the server, or neither. Linux only
 * (/proc); elsewhere the server and machine figures are null.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface CpuSnapshot {
  at: number;
  worker: NodeJS.CpuUsage;
  /** utime + stime of the server process, in clock ticks. */
  serverTicks: number | null;
  machine: { busy: number; total: number } | null;
}

export interface CpuFigures {
  /** Cores busy on average during the cell. */
  workerCores: number;
  serverCores: number | null;
  machineCores: number | null;
  /** CPU this process spent per answered request, in microseconds. */
  workerUsPerRequest: number;
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

function processTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function machineTicks(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((s, x) => s + x, 0);
    // idle + iowait are not busy.
    return { busy: total - (values[3] ?? 0) - (values[4] ?? 0), total };
  } catch {
    return null;
  }
}

export function cpuSnapshot(serverPid: number | undefined): CpuSnapshot {
  return {
    at: performance.now(),
    worker: process.cpuUsage(),
    serverTicks: serverPid ? processTicks(serverPid) : null,
    machine: machineTicks(),
  };
}

export function cpuSince(before: CpuSnapshot, after: CpuSnapshot, requests: number): CpuFigures {
  const seconds = (after.at - before.at) / 1000;
  const workerUs = after.worker.user - before.worker.user + (after.worker.system - before.worker.system);
  const server =
    before.serverTicks !== null && after.serverTicks !== null
      ? (after.serverTicks - before.serverTicks) / TICKS_PER_SECOND / seconds
      : null;
  const machine =
    before.machine && after.machine && after.machine.total > before.machine.total
      ? ((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)) * availableParallelism()
      : null;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    workerCores: round(workerUs / 1e6 / seconds),
    serverCores: server === null ? null : round(server),
    machineCores: machine === null ? null : round(machine),
    workerUsPerRequest: Math.round(requests ? workerUs / requests : 0),
  };
}
