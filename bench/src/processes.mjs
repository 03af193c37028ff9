import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll, start } from '../../tools/launch-server.mjs';

const serversDir = fileURLToPath(new URL('./servers/', import.meta.url));

/**
 * Starts servers/<script> as its own Node process with only the environment given (plus PATH), and
 * waits for it to report over IPC the port it listens on (or, with readyType 'result', its result).
 * Its output also goes to logFile, and its tail is in the error if it dies first.
 */
export function startChild(script, { env, logFile, readyType = 'listening', execArgv = [] }) {
  return start(path.join(serversDir, script), {
    env,
    logFile,
    execArgv,
    ready: { message: (message) => message?.type === readyType },
  });
}

/** Starts a server and resolves once it listens: { pid, url, stop() }, stop() being SIGTERM then SIGKILL. */
export async function startServer(script, options) {
  const server = await startChild(script, options);
  return { pid: server.pid, url: `http://127.0.0.1:${server.readyWith.port}`, stop: server.stop };
}

/** Kills whatever child is still running: the run failed or was interrupted. */
export const killAllChildren = killAll;
