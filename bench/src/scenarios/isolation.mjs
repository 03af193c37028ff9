import { measure, measureTogether } from '../measure.mjs';
import * as settings from '../settings.mjs';

/**
 * Does hashing stall everything else? Authenticated reads are paced at a fixed rate (well under
 * capacity, so their latency is service time rather than queueing), once alone and once while a
 * sign-in storm keeps every hash thread busy. The figure is the ratio of the two p99s.
 */
export async function measureIsolation(
  server,
  { readRequests, signinRequests, readsPerSecond, signinConnections = settings.signinConnections },
) {
  const reads = {
    requests: readRequests,
    connections: settings.isolationReadConnections,
    overallRate: Math.round(readsPerSecond),
  };
  const storm = { requests: signinRequests, connections: signinConnections };
  const alone = await measure(server, reads);
  const { results, usage } = await measureTogether(server, [reads, storm]);
  const [during, signins] = results;
  return {
    readsPerSecondTarget: Math.round(readsPerSecond),
    alone,
    during: { ...during, ...usage },
    stormSigninsPerSecond: signins.perSecond,
    p99Ratio: during.p99Ms / alone.p99Ms,
  };
}
