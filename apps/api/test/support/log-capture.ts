export interface LogCapture {
  /** Every JSON log line written since capture began, parsed. */
  lines(): Array<Record<string, unknown>>;
  restore(): void;
}

/**
 * Collects the server's JSON log lines. buildApp takes no logger stream, but pino writes through
 * process.stdout.write when that method has been replaced, so replacing it before buildApp captures the
 * app's log. Anything that is not a JSON line is passed on unchanged.
 */
export function captureStdoutLog(): LogCapture {
  const original = process.stdout.write;
  const captured: Array<Record<string, unknown>> = [];
  process.stdout.write = function write(chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
    const passOn: string[] = [];
    for (const line of (text ?? '').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const parsed: unknown = JSON.parse(line);
        if (parsed && typeof parsed === 'object') captured.push(parsed as Record<string, unknown>);
        else passOn.push(line);
      } catch {
        passOn.push(line);
      }
    }
    if (text === undefined) return (original as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    if (passOn.length > 0) original.call(process.stdout, `${passOn.join('\n')}\n`);
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  return {
    lines: () => captured,
    restore: () => {
      process.stdout.write = original;
    },
  };
}
