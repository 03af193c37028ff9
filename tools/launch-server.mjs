// The one way to run a server script as its own Node process, for the API's process tests, the
// browser tests and the bench: start it with exactly the environment given, wait until it says it
// is ready (an output line, an IPC message, or an answer over HTTP), keep what it writes, stop it.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

const running = new Set();

const hasExited = (child) => child.exitCode !== null || child.signalCode !== null;

/**
 * Starts `node script` with only `env` (plus PATH): nothing leaks in from the parent's environment,
 * so "no configuration" means none. Does not wait for it; see start() for that.
 */
export function launch(script, { env, cwd, execArgv = [], ipc = false, logFile, graceMs = 10_000 }) {
  const child = spawn(process.execPath, [...execArgv, script], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  });
  running.add(child);
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;

  let stdout = '';
  let stderr = '';
  let output = '';
  let partialLine = '';
  const lines = [];
  const messages = [];
  const watchers = new Set();
  const notify = () => watchers.forEach((watcher) => watcher());

  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
    output += chunk;
    log?.write(chunk);
    const parts = (partialLine + chunk).split('\n');
    partialLine = parts.pop();
    lines.push(...parts);
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
    output += chunk;
    log?.write(chunk);
  });
  child.on('message', (message) => {
    messages.push(message);
    notify();
  });

  // 'close' rather than 'exit': by then every byte the process wrote has been read, so a wait
  // that has not matched by then never will.
  let closed;
  const exited = new Promise((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      log?.end();
      closed = { code, signal };
      resolve(closed);
      notify();
    });
  });

  /** Resolves with found()'s first answer that is not undefined; rejects on exit or timeout (Infinity: none). */
  function waitFor(what, found, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timedOut = () => settle(new Error(`${script} did not ${what} within ${timeoutMs / 1000} s`));
      const timer = Number.isFinite(timeoutMs) ? setTimeout(timedOut, timeoutMs) : undefined;
      function settle(error, value) {
        clearTimeout(timer);
        watchers.delete(check);
        if (error) reject(new Error(`${error.message}; its output:\n${output.slice(-8000)}`));
        else resolve(value);
      }
      function check() {
        const value = found();
        if (value !== undefined) return settle(undefined, value);
        if (closed) settle(new Error(`${script} exited (${closed.signal ?? closed.code}) before it would ${what}`));
      }
      watchers.add(check);
      check();
    });
  }

  /** Polls GET url until it answers 2xx. */
  function waitForUrl(url, timeoutMs = 60_000) {
    let answer;
    let polling = true;
    void (async () => {
      while (polling && answer === undefined && !hasExited(child)) {
        const response = await fetch(url).catch(() => undefined); // not listening yet
        if (response?.ok) answer = response;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      notify();
    })();
    return waitFor(`answer GET ${url}`, () => answer, timeoutMs).finally(() => (polling = false));
  }

  function signal(name) {
    if (!hasExited(child)) child.kill(name);
    return exited;
  }

  return {
    child,
    pid: child.pid,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    /** The complete lines written to stdout so far. */
    lines: () => [...lines],
    waitForLine: (match, timeoutMs = 60_000) => waitFor('write the line awaited', () => lines.find(match), timeoutMs),
    waitForMessage: (match, timeoutMs = 60_000) =>
      waitFor('send the message awaited', () => messages.find(match), timeoutMs),
    waitForUrl,
    /** SIGTERM, then SIGKILL if it has not exited `graceMs` later. */
    stop: () => {
      const killer = setTimeout(() => signal('SIGKILL'), graceMs);
      return signal('SIGTERM').finally(() => clearTimeout(killer));
    },
    kill: () => signal('SIGKILL'),
  };
}

/**
 * launch(), then waits until the process is ready: `ready` is `{ line }` (a predicate over stdout
 * lines), `{ message }` (over IPC messages) or `{ url }` (answers GET with 2xx). Resolves with the
 * launched process and `readyWith`, the line, message or response that said so; a process that
 * exits first or is not ready within `timeoutMs` is killed, and the error shows its output.
 */
export async function start(script, { ready, timeoutMs = 60_000, ...options }) {
  const launched = launch(script, { ...options, ipc: options.ipc ?? 'message' in ready });
  try {
    const readyWith = await ('line' in ready
      ? launched.waitForLine(ready.line, timeoutMs)
      : 'message' in ready
        ? launched.waitForMessage(ready.message, timeoutMs)
        : launched.waitForUrl(ready.url, timeoutMs));
    return { ...launched, readyWith };
  } catch (error) {
    await launched.kill();
    throw error;
  }
}

/** SIGKILL to every process launched here that is still running; resolves once all have exited. */
export function killAll() {
  // A child stays in `running` until its 'close', so each of them has one still to come.
  const closed = [...running].map((child) => new Promise((resolve) => child.once('close', resolve)));
  for (const child of running) if (!hasExited(child)) child.kill('SIGKILL');
  return Promise.all(closed).then(() => {});
}
