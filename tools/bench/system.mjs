// What the benchmark ran on, and where the CPU went while it ran (from /proc, Linux only).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export function machineInfo() {
  let model = cpus()[0]?.model?.trim() || 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) model = line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux: keep os.cpus()
  }
  const git = (args) => spawnSync('git', args, { encoding: 'utf8' }).stdout?.trim() ?? '';
  const dirty = git(['status', '--porcelain', '--', 'apps', 'libs']) !== '';
  return {
    cpu: model,
    cores: cpus().length,
    memoryGiB: (totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    commit: `${git(['rev-parse', '--short', 'HEAD']) || 'unknown'}${dirty ? ' (apps/ or libs/ modified)' : ''}`,
  };
}

const TICKS_PER_SECOND = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout;
  return Number(out) > 0 ? Number(out) : 100;
})();

/** CPU ticks (user + system) of every process, with its command name. */
function processTicks() {
  const result = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return result;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      result.set(Number(entry), { comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process exited meanwhile
    }
  }
  return result;
}

function busyTicks() {
  try {
    const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = values;
    return { busy: user + nice + system + irq + softirq + steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Read and write system calls made so far by a process (/proc/<pid>/io), or undefined. */
function syscalls(pid) {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    return { reads: Number(/^syscr: (\d+)/m.exec(io)?.[1] ?? 0), writes: Number(/^syscw: (\d+)/m.exec(io)?.[1] ?? 0) };
  } catch {
    return undefined;
  }
}

/** Summed over `pids`; undefined when none can be read (e.g. another user's processes). */
function syscallsOf(pids) {
  let readable = false;
  const total = { reads: 0, writes: 0 };
  for (const pid of pids) {
    const counts = syscalls(pid);
    if (counts) {
      readable = true;
      total.reads += counts.reads;
      total.writes += counts.writes;
    }
  }
  return readable ? total : undefined;
}

/**
 * Samples CPU use per group of processes over an interval. `groups` maps a label to pids; the
 * PostgreSQL and NATS servers are found by command name, the load generator is this process.
 * Returns each group's use in percent of one core, and the machine's total busy percent.
 */
export function startCpuSample(groups) {
  const before = processTicks();
  const beforeBusy = busyTicks();
  const byName = (comm) => [...before].filter(([, p]) => p.comm === comm).map(([pid]) => pid);
  const ioGroups = { ...groups, postgres: byName('postgres'), nats: byName('nats-server') };
  const ioBefore = Object.fromEntries(Object.entries(ioGroups).map(([label, pids]) => [label, syscallsOf(pids)]));
  const startedAt = process.hrtime.bigint();
  return () => {
    const ioAfter = Object.fromEntries(Object.entries(ioGroups).map(([label, pids]) => [label, syscallsOf(pids)]));
    const io = Object.fromEntries(
      Object.keys(ioGroups).map((label) => [
        label,
        ioBefore[label] && ioAfter[label]
          ? { reads: ioAfter[label].reads - ioBefore[label].reads, writes: ioAfter[label].writes - ioBefore[label].writes }
          : undefined,
      ]),
    );
    const after = processTicks();
    const afterBusy = busyTicks();
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const used = (pid) => (after.get(pid)?.ticks ?? 0) - (before.get(pid)?.ticks ?? 0);
    const labelled = new Set();
    const share = {};
    for (const [label, pids] of Object.entries(groups)) {
      let ticks = 0;
      for (const pid of pids) {
        ticks += used(pid);
        labelled.add(pid);
      }
      share[label] = ticks;
    }
    share['load generator'] = used(process.pid);
    labelled.add(process.pid);
    const byComm = { postgres: 0, 'nats-server': 0 };
    for (const [pid, { comm }] of after) {
      if (!labelled.has(pid) && comm in byComm) byComm[comm] += used(pid);
    }
    share.postgres = byComm.postgres;
    share.nats = byComm['nats-server'];
    const percent = Object.fromEntries(Object.entries(share).map(([label, ticks]) => [label, Math.round((ticks / TICKS_PER_SECOND / seconds) * 100)]));
    const totalTicks = afterBusy.total - beforeBusy.total;
    const busyFraction = totalTicks > 0 ? (afterBusy.busy - beforeBusy.busy) / totalTicks : 0;
    // Whatever the machine did besides the processes above: other programs, the kernel, steal.
    const accounted = Object.values(percent).reduce((sum, value) => sum + value, 0);
    percent.other = Math.max(0, Math.round(busyFraction * cpus().length * 100) - accounted);
    const cpuMs = Object.fromEntries(Object.entries(share).map(([label, ticks]) => [label, (ticks / TICKS_PER_SECOND) * 1000]));
    return { percentOfOneCore: percent, machineBusyPercent: Math.round(busyFraction * 100), cpuMs, syscalls: io };
  };
}

/** The machine's busy share (0-100) over `ms` milliseconds. */
export async function machineBusyPercent(ms = 1000) {
  const before = busyTicks();
  await new Promise((r) => setTimeout(r, ms));
  const after = busyTicks();
  const total = after.total - before.total;
  return total > 0 ? Math.round(((after.busy - before.busy) / total) * 100) : 0;
}
