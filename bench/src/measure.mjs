import { runLoad, summarize } from './load.mjs';
import { seconds, warmupSeconds } from './settings.mjs';
import { watchUsage } from './usage.mjs';

/**
 * One measured point: a warm-up (JIT, connection pools, caches) that is thrown away, then the
 * measured load with the server's peak memory and everyone's CPU watched over exactly that interval.
 */
export async function measure(server, load, options) {
  const [result] = await measureInterleaved([{ server, load }], { ...options, rounds: 1 });
  return result;
}

/**
 * Points that are compared with each other (with and without authentication, the bare app, a hash
 * bound given as beforeEachRound) are measured in turns, `rounds` short slices each, so that whatever
 * else the machine does meanwhile falls on all of them alike rather than on whichever ran during it.
 */
export async function measureInterleaved(
  entries,
  { duration = seconds, warmup = warmupSeconds, rounds = 3, beforeEachRound } = {},
) {
  if (warmup > 0) {
    for (const { server, load } of entries) await runLoad({ ...load, url: server.url, seconds: warmup });
  }
  const runs = entries.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    if (beforeEachRound) await beforeEachRound(duration / rounds);
    for (const [index, { server, load }] of entries.entries()) {
      const stop = watchUsage(server.pid);
      const run = await runLoad({ ...load, url: server.url, seconds: duration / rounds });
      runs[index].push({ ...run, usage: stop() });
    }
  }
  return runs.map((slices) => ({
    ...summarize(
      slices.flatMap((slice) => slice.latencies),
      sum(slices.map((slice) => slice.seconds)),
    ),
    ...mergeUsage(slices.map((slice) => slice.usage)),
  }));
}

/** Several loads against one server at once (the isolation test); usage is watched over all of them. */
export async function measureTogether(server, loads, { duration = seconds, warmup = warmupSeconds } = {}) {
  if (warmup > 0) await Promise.all(loads.map((load) => runLoad({ ...load, url: server.url, seconds: warmup })));
  const stop = watchUsage(server.pid);
  const runs = await Promise.all(loads.map((load) => runLoad({ ...load, url: server.url, seconds: duration })));
  return { results: runs.map((run) => summarize(run.latencies, run.seconds)), usage: stop() };
}

const sum = (values) => values.reduce((a, b) => a + b, 0);

// Cores are averaged over the slices' time; the peak is the highest of them.
function mergeUsage(usages) {
  const wall = sum(usages.map((u) => u.wallSeconds));
  const average = (field) => sum(usages.map((u) => u[field] * u.wallSeconds)) / wall;
  return {
    peakRssBytes: Math.max(...usages.map((u) => u.peakRssBytes)),
    serverCores: average('serverCores'),
    loopCores: average('loopCores'),
    clientCores: average('clientCores'),
    postgresCores: average('postgresCores'),
    machineCores: average('machineCores'),
    otherCores: average('otherCores'),
  };
}
