/** True when `error`, or an error it wraps, carries one of these SQLSTATEs. */
function hasSqlState(error: unknown, states: readonly string[]): boolean {
  // drizzle wraps driver errors; node-postgres and PGlite both carry PostgreSQL's SQLSTATE in `code`.
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && states.includes(code)) return true;
  }
  return false;
}

/** True when the database refused a row because a unique index already holds its value. */
export function isUniqueViolation(error: unknown): boolean {
  return hasSqlState(error, ['23505']);
}

/**
 * True when the database refused a character it cannot store: NUL in text (22021
 * character_not_in_repertoire), or one its encoding lacks (22P05 untranslatable_character).
 */
export function isUnstorableCharacter(error: unknown): boolean {
  return hasSqlState(error, ['22021', '22P05']);
}
