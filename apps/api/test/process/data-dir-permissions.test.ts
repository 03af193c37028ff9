import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllServers, startServer, type RunningServer } from '../support/server-process.js';

// The embedded data folder holds the password hashes, the sessions and the signing secret: another
// local user must be able neither to read it nor to change it. These tests start the built server on
// the embedded database and look at the modes it leaves on disk, as an operator (or that user) would.

const PROCESS_TEST_TIMEOUT = 90_000;
const GROUP_OR_WORLD = 0o077;

const folders: string[] = [];

function tempFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'todo-perms-'));
  folders.push(folder);
  return folder;
}

afterEach(async () => {
  await killAllServers();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const modeOf = (file: string) => statSync(file).mode & 0o777;
const octal = (mode: number) => `0${mode.toString(8)}`;

/** Every folder and file under `root` whose mode lets the group or others in, as "path 0644". */
function looseEntries(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((entry) => path.join(root, entry))
    .filter((file) => (modeOf(file) & GROUP_OR_WORLD) !== 0)
    .map((file) => `${path.relative(root, file)} ${octal(modeOf(file))}`);
}

/** Writes something, so the database has written its files (tables, WAL) before they are looked at. */
async function signUp(server: RunningServer): Promise<void> {
  const response = await fetch(`${server.url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Perms',
      email: `perms-${randomUUID().slice(0, 8)}@example.com`,
      password: 'correct horse battery',
    }),
  });
  expect(response.status).toBe(201);
}

const tightenedNotices = (server: RunningServer) =>
  server.logLines().filter((line) => String(line.msg).startsWith('tightened permissions of '));

describe('the embedded data folder', () => {
  it(
    'is created 0700, with the database folder inside it 0700 and no file the group or others can read',
    async () => {
      // A DATA_DIR that does not exist yet, two levels deep, as on a first `npm start`.
      const dataDir = path.join(tempFolder(), 'state', 'data');
      const server = await startServer({ DATA_DIR: dataDir });
      await signUp(server);

      expect(octal(modeOf(dataDir))).toBe('0700');
      expect(octal(modeOf(path.join(dataDir, 'pglite')))).toBe('0700');
      expect(octal(modeOf(path.join(dataDir, 'auth-secret')))).toBe('0600');
      expect(octal(modeOf(path.join(dataDir, 'pglite', 'server.lock')))).toBe('0600');
      expect(looseEntries(dataDir)).toEqual([]);
      // A fresh folder needed no tightening, so nothing is said about it.
      expect(tightenedNotices(server)).toEqual([]);
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'keeps files the database writes later private too, also with a signing secret given in the environment',
    async () => {
      const dataDir = path.join(tempFolder(), 'data');
      const server = await startServer({ DATA_DIR: dataDir, BETTER_AUTH_SECRET: 's'.repeat(48) });
      for (let i = 0; i < 3; i++) await signUp(server);
      expect(await server.stop()).toEqual({ code: 0, signal: null });

      expect(octal(modeOf(dataDir))).toBe('0700');
      expect(looseEntries(dataDir)).toEqual([]);
    },
    PROCESS_TEST_TIMEOUT,
  );

  it.each([
    ['a data folder left 0755 by an older version', 0o755, 0o755],
    ['a world-writable data folder', 0o777, 0o755],
    ['a private data folder whose database folder is 0755', 0o700, 0o755],
  ])(
    'tightens %s to 0700 at start and says so in the log',
    async (_case, dataMode, pgliteMode) => {
      const dataDir = path.join(tempFolder(), 'data');
      const first = await startServer({ DATA_DIR: dataDir });
      await signUp(first);
      expect(await first.stop()).toEqual({ code: 0, signal: null });
      // As an older version left it: files readable by all, as PGlite wrote them, the secret included.
      for (const file of ['auth-secret', 'pglite/PG_VERSION', 'pglite/postgresql.conf', 'pglite/base']) {
        chmodSync(path.join(dataDir, file), file === 'pglite/base' ? 0o755 : 0o666);
      }
      chmodSync(dataDir, dataMode);
      chmodSync(path.join(dataDir, 'pglite'), pgliteMode);

      const second = await startServer({ DATA_DIR: dataDir });

      expect(octal(modeOf(dataDir))).toBe('0700');
      expect(octal(modeOf(path.join(dataDir, 'pglite')))).toBe('0700');
      const expected = [
        ...(dataMode !== 0o700 ? [{ folder: path.resolve(dataDir), previousMode: octal(dataMode) }] : []),
        { folder: path.resolve(dataDir, 'pglite'), previousMode: octal(pgliteMode) },
      ];
      expect(tightenedNotices(second).map(({ folder, previousMode }) => ({ folder, previousMode }))).toEqual(expected);
      for (const notice of tightenedNotices(second)) {
        expect(notice.msg).toBe(
          `tightened permissions of ${String(notice.folder)} to 0700 (it was ${String(notice.previousMode)})`,
        );
      }
      expect(looseEntries(dataDir)).toEqual([]);
      // The data survived, and the server still serves.
      await signUp(second);
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'leaves an existing private data folder as it is and says nothing',
    async () => {
      const dataDir = path.join(tempFolder(), 'data');
      mkdirSync(dataDir, { mode: 0o700 });
      chmodSync(dataDir, 0o700);
      const server = await startServer({ DATA_DIR: dataDir });
      await signUp(server);

      expect(octal(modeOf(dataDir))).toBe('0700');
      expect(tightenedNotices(server)).toEqual([]);
    },
    PROCESS_TEST_TIMEOUT,
  );
});
