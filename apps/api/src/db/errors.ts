/** True when the database refused a row because a unique index already holds its value. */
export function isUniqueViolation(error: unknown): boolean {
  // drizzle wraps driver errors; node-postgres and PGlite both carry PostgreSQL's SQLSTATE in `code`.
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
