import { fork } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serversDir = fileURLToPath(new URL('./servers/', import.meta.url));
const running = new Set();

/**
 * Starts servers/<script> as its own Node process with only the environment given (plus PATH), and
 * waits for it to report, over IPC, the port it listens on (or its result, for the hash bound).
 * Its stdout and stderr go to logFile, whose tail is shown if it dies.
 */
export function startChild(script, { env, logFile, readyType = 'listening', timeoutMs = 60_000, execArgv = [] }) {
  const log = openSync(logFile, 'a');
  const child = fork(path.join(serversDir, script), [], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', log, log, 'ipc'],
    execArgv,
  });
  closeSync(log);
  running.add(child);
  child.once('exit', () => running.delete(child));

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs / 1000} s`), timeoutMs);
    function fail(reason) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${script} ${reason}\n--- ${logFile} ---\n${tail(logFile)}`));
    }
    child.on('message', (message) => {
      if (message?.type !== readyType) return;
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
  });
  return { child, pid: child.pid, ready };
}

/** Starts a server and resolves once it listens: { pid, url, stop() }. */
export async function startServer(script, options) {
  const { child, pid, ready } = startChild(script, options);
  const { port } = await ready;
  return { pid, url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

/** SIGTERM, and SIGKILL if it has not exited 10 s later. */
export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Kills whatever child is still running: the run failed or was interrupted. */
export function killAllChildren() {
  for (const child of running) child.kill('SIGKILL');
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
