import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { signUpUser, uniqueEmail, useTestApp } from '../support/test-app.js';

const ctx = useTestApp();

const TRIES = 100;
// The contract asks for indistinguishable timing; the issue sets 10% on the medians. Each signin is
// dominated by one argon2id verification (~12 ms here), so the medians sit far closer than that.
const TOLERANCE = 0.1;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timedSignin(email: string): Promise<{ ms: number; body: string }> {
  const start = performance.now();
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/signin',
    payload: { email, password: 'not the password' },
  });
  const ms = performance.now() - start;
  expect(response.statusCode).toBe(400);
  return { ms, body: response.body };
}

describe('POST /api/auth/signin timing', () => {
  it('takes the same median time for an unknown email as for a known email with a wrong password', async () => {
    // One wrong attempt per account, so the per-account throttle never comes into play. One signup
    // after another: a hundred at once would overflow the bounded hash queue.
    const known = [];
    for (let i = 0; i < TRIES; i++) known.push(await signUpUser(ctx.app));
    for (let warmUp = 0; warmUp < 5; warmUp++) await timedSignin(uniqueEmail('warm'));

    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    const bodies = new Set<string>();
    // Interleaved, taking turns at going first, so drift in the machine's speed and any cost of
    // following another request fall on both sides alike.
    for (let i = 0; i < TRIES; i++) {
      const knownFirst = i % 2 === 0;
      const b = knownFirst ? undefined : await timedSignin(uniqueEmail('nobody'));
      const a = await timedSignin(known[i]!.email);
      const c = b ?? (await timedSignin(uniqueEmail('nobody')));
      knownTimes.push(a.ms);
      unknownTimes.push(c.ms);
      bodies.add(a.body).add(c.body);
    }

    expect([...bodies]).toEqual(['{"error":"Invalid email or password","code":"invalid_credentials"}']);
    // Each unknown-email signin is compared with the known-email one next to it in time, so a busy
    // moment on the machine (other test files run alongside) slows both halves of the pair.
    const pairedRatio = median(unknownTimes.map((unknown, i) => unknown / knownTimes[i]!));
    const summary = `medians: known ${median(knownTimes).toFixed(2)} ms, unknown ${median(unknownTimes).toFixed(2)} ms; paired ratio ${pairedRatio.toFixed(3)}`;
    expect(Math.abs(pairedRatio - 1), summary).toBeLessThan(TOLERANCE);
  }, 120_000);
});
