import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

// What a scenario cost the machine: the server's peak resident memory and CPU time, the load
// generator's CPU time, and how busy both cores were. All read from /proc (Linux).

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function statusField(pid, field) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(line.split(/\s+/)[1]) * 1024; // the kernel reports kB
}

/** CPU seconds of a process, all its threads together (or of one thread, given a /proc/<pid>/task/<tid> path). */
function processCpuSeconds(pid, statPath = `/proc/${pid}/stat`) {
  // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(statPath, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** CPU seconds of every PostgreSQL process on the machine (the bench's backends among them). */
function postgresCpuSeconds() {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += processCpuSeconds(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

function machineTicks() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = values.map(Number);
  const idle = ticks[3] + ticks[4]; // idle + iowait
  return { busy: ticks.reduce((a, b) => a + b, 0) - idle };
}

/** Cores the machine keeps busy over `ms` with the bench doing nothing: anything above ~0.1 is someone else. */
export async function idleLoad(ms = 2000) {
  const before = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (machineTicks().busy - before.busy) / ticksPerSecond / (ms / 1000);
}

/**
 * Starts watching a server process. VmHWM (peak RSS) is reset through clear_refs where the kernel
 * allows it, so the peak belongs to this scenario alone; VmRSS is also sampled every 50 ms as a
 * fallback. stop() returns the figures for the interval.
 */
export function watchUsage(pid) {
  let canResetPeak = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    canResetPeak = false;
  }
  let sampledPeak = statusField(pid, 'VmRSS');
  const sampler = setInterval(() => {
    try {
      sampledPeak = Math.max(sampledPeak, statusField(pid, 'VmRSS'));
    } catch {
      // the process has exited; stop() will say so
    }
  }, 50);
  const startedAt = process.hrtime.bigint();
  const serverCpu = processCpuSeconds(pid);
  // The main thread's id is the process id: its CPU is the event loop's (and the garbage collector's
  // main-thread work), apart from libuv's pool threads where the hashing runs.
  const loopStat = `/proc/${pid}/task/${pid}/stat`;
  const loopCpu = processCpuSeconds(pid, loopStat);
  const clientCpu = process.cpuUsage();
  const machine = machineTicks();
  const postgresCpu = postgresCpuSeconds();

  return function stop() {
    clearInterval(sampler);
    const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const client = process.cpuUsage(clientCpu);
    const serverCores = (processCpuSeconds(pid) - serverCpu) / wallSeconds;
    const loopCores = (processCpuSeconds(pid, loopStat) - loopCpu) / wallSeconds;
    const clientCores = (client.user + client.system) / 1e6 / wallSeconds;
    const postgresCores = (postgresCpuSeconds() - postgresCpu) / wallSeconds;
    const machineCores = (machineTicks().busy - machine.busy) / ticksPerSecond / wallSeconds;
    const peakRssBytes = canResetPeak ? Math.max(statusField(pid, 'VmHWM'), sampledPeak) : sampledPeak;
    return {
      wallSeconds,
      peakRssBytes,
      // Cores kept busy on average over the interval: the server (and its main thread alone),
      // autocannon (this process), every PostgreSQL process, and the whole machine; what is left is
      // anything else that ran meanwhile.
      serverCores,
      loopCores,
      clientCores,
      postgresCores,
      machineCores,
      otherCores: Math.max(0, machineCores - serverCores - clientCores - postgresCores),
    };
  };
}
