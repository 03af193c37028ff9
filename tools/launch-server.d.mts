import type { ChildProcess } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchOptions {
  /** The child's whole environment, apart from PATH. */
  env: Record<string, string>;
  cwd?: string;
  /** Node's own flags, before the script (--cpu-prof, say). */
  execArgv?: string[];
  /** Opens an IPC channel (start() does when it waits for a message). */
  ipc?: boolean;
  /** Also appends stdout and stderr to this file. */
  logFile?: string;
  /** How long stop() waits after SIGTERM before it sends SIGKILL; 10 s unless given. */
  graceMs?: number;
}

export interface Launched {
  child: ChildProcess;
  pid: number;
  /** Resolves when the process has exited and its output has all been read. */
  exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr interleaved as they arrived. */
  output(): string;
  /** The complete lines written to stdout so far. */
  lines(): string[];
  /**
   * Each wait resolves with what matched, and rejects if the process exits first or the timeout
   * passes (60 s unless given; Infinity for none).
   */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  waitForMessage(match: (message: any) => boolean, timeoutMs?: number): Promise<any>;
  waitForUrl(url: string, timeoutMs?: number): Promise<Response>;
  /** SIGTERM, then SIGKILL after the grace period; resolves on exit. */
  stop(): Promise<Exit>;
  /** SIGKILL; resolves on exit. */
  kill(): Promise<Exit>;
}

export type Readiness = { line: (line: string) => boolean } | { message: (message: any) => boolean } | { url: string };

export interface StartOptions extends LaunchOptions {
  ready: Readiness;
  /** 60 s unless given. */
  timeoutMs?: number;
}

export interface Started extends Launched {
  /** The line, IPC message or HTTP response that said the process was ready. */
  readyWith: any;
}

export function launch(script: string, options: LaunchOptions): Launched;
export function start(script: string, options: StartOptions): Promise<Started>;
export function killAll(): Promise<void>;
