import autocannon from 'autocannon';

/**
 * One autocannon run over loopback; resolves with every 2xx response's own time in milliseconds
 * (sub-millisecond, unlike autocannon's whole-millisecond histogram) and the seconds it ran.
 * `requests` are full requests ({ method, path, headers, body }), handed out round-robin across all
 * connections, so 64 connections in flight are 64 different users (were each connection to walk the
 * list from the start, they would all hit the same user, and the same row, at once). Any other
 * status, error or timeout fails the run: a benchmark of error answers would measure the wrong thing.
 */
export function runLoad({ url, requests, connections, seconds, overallRate }) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    let next = 0;
    const roundRobin = (defaults) => {
      const request = requests[next++ % requests.length];
      return { ...defaults, ...request, headers: { ...defaults.headers, ...request.headers } };
    };
    const instance = autocannon(
      { url, connections, duration: seconds, overallRate, requests: [{ setupRequest: roundRobin }], timeout: 30 },
      (error, result) => {
        if (error) return reject(error);
        const bad = Object.entries(result.statusCodeStats).filter(([status]) => !status.startsWith('2'));
        if (bad.length > 0 || result.errors > 0 || result.timeouts > 0) {
          const statuses = bad.map(([status, { count }]) => `${count}× ${status}`).join(', ');
          return reject(
            new Error(
              `load on ${url} failed: ${statuses || 'no bad status'}; ${result.errors} errors, ${result.timeouts} timeouts`,
            ),
          );
        }
        resolve({ latencies, seconds: result.duration });
      },
    );
    instance.on('response', (_client, _status, _bytes, milliseconds) => latencies.push(milliseconds));
  });
}

/** Throughput and exact latency percentiles of one or more runs' responses. */
export function summarize(latencies, durationSeconds) {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
  return {
    requests: sorted.length,
    seconds: durationSeconds,
    perSecond: sorted.length / durationSeconds,
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}
