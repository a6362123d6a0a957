/**
 * CPU seconds used by process groups during a benchmark window, read from /proc (Linux only): the collector's pid,
 * every PostgreSQL process (backends, WAL writer, checkpointer: their command lines start with "postgres"), and
 * this process. Shows which side of the two cores a run was limited by.
 */
import fs from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux x86_64

function cpuTicks(pid: number | string): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // comm may hold spaces
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0; // exited
  }
}

function postgresTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let cmd = "";
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (cmd.startsWith("postgres") || cmd.includes("/postgresql/")) ticks.set(pid, cpuTicks(pid));
  }
  return ticks;
}

/** `pid` and its descendants (a collector cluster's processes are children of its primary). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* exited */
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** A /proc status field (kB) summed over `pid` and its descendants, in MB. */
function treeStatusMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const pattern = new RegExp(`${field}:\\s+(\\d+)`);
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      kb += Number(pattern.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      /* exited */
    }
  }
  return kb / 1024;
}

/** RSS now of `pid` and its descendants (a collector cluster's processes, a server's helpers), in MB. */
export const treeRssMb = (pid: number): number => treeStatusMb(pid, "VmRSS");

/** The sum of the peak RSS (VmHWM) of `pid` and its descendants, in MB: an upper bound of their peak together. */
export const treePeakRssMb = (pid: number): number => treeStatusMb(pid, "VmHWM");

export interface CpuSplit {
  collectorCpuS: number;
  postgresCpuS: number;
  loadGeneratorCpuS: number;
}

/** Starts a window; the returned function ends it and gives the CPU seconds each group used in it. */
export function startCpuSplit(collectorPid: number): () => CpuSplit {
  // The collector's processes at the start (a cluster's are up by then); each counts from where it was.
  const collectorPids = processTree(collectorPid);
  const collector0 = collectorPids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
  const postgres0 = postgresTicks();
  const self0 = process.cpuUsage();
  return () => {
    let postgres = 0;
    // Backends that started during the window count from 0; those that exited are lost (pools keep theirs open).
    for (const [pid, t] of postgresTicks()) postgres += t - (postgres0.get(pid) ?? 0);
    const self = process.cpuUsage(self0);
    return {
      collectorCpuS: Number(((collectorPids.reduce((sum, pid) => sum + cpuTicks(pid), 0) - collector0) / TICKS_PER_SECOND).toFixed(1)),
      postgresCpuS: Number((postgres / TICKS_PER_SECOND).toFixed(1)),
      loadGeneratorCpuS: Number(((self.user + self.system) / 1e6).toFixed(1)),
    };
  };
}
