import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The embedded database's own folder inside DATA_DIR (it also holds the lock). */
export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

export interface TightenedFolder {
  /** Absolute path of the folder. */
  folder: string;
  /** Its mode before, in octal: "0755". */
  previousMode: string;
}

const OWNER_ONLY = 0o700;
const GROUP_OR_WORLD = 0o077;

/**
 * DATA_DIR holds the password hashes, the sessions and the signing secret, so only the server's own user
 * may enter it. Creates it and the database folder inside it with mode 0700, and tightens either to 0700
 * when it already lets the group or others in (a folder made by an older version was 0755). Closing the
 * folders is what protects the files in them; the files lose their group and world permissions too.
 * Returns the folders that were tightened, so the caller can say so in the log.
 */
export function makeDataDirPrivate(dataDir: string): TightenedFolder[] {
  const tightened = [dataDir, pgliteDir(dataDir)].flatMap((folder) => makeFolderPrivate(path.resolve(folder)) ?? []);
  makeTreePrivate(dataDir);
  return tightened;
}

function makeFolderPrivate(folder: string): TightenedFolder | undefined {
  mkdirSync(folder, { recursive: true, mode: OWNER_ONLY });
  const mode = statSync(folder).mode & 0o777;
  if ((mode & GROUP_OR_WORLD) === 0) return undefined;
  const previousMode = `0${mode.toString(8)}`;
  try {
    chmodSync(folder, OWNER_ONLY);
  } catch (error) {
    throw new Error(
      `The data folder ${folder} is open to other users (mode ${previousMode}) and could not be ` +
        `made private (${(error as NodeJS.ErrnoException).code}); run the server as the folder's owner or ` +
        `chmod 700 it.`,
    );
  }
  return { folder, previousMode };
}

/**
 * Takes group and world permissions off every file and folder under `root`. PGlite sets the modes of its
 * files itself (0666 for those of a new database, copied from its template, and 0644 for some it rewrites),
 * so a umask does not reach them. The closed folders already keep other users out; this keeps the files
 * private should a folder be opened again by hand. Symbolic links are left alone, so nothing outside is
 * touched. A few milliseconds for a thousand files; files already private are only looked at.
 */
export function makeTreePrivate(root: string): void {
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(root, entry);
    const stats = lstatSync(file, { throwIfNoEntry: false });
    if (!stats || stats.isSymbolicLink() || (stats.mode & GROUP_OR_WORLD) === 0) continue;
    chmodSync(file, stats.mode & 0o700);
  }
}

/** The log line for a folder that was tightened: "tightened permissions of /srv/data to 0700 (it was 0755)". */
export function tightenedMessage({ folder, previousMode }: TightenedFolder): string {
  return `tightened permissions of ${folder} to 0700 (it was ${previousMode})`;
}
