import type { Logger } from '../../log';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  ns: string;
  message: string;
  context: Record<string, unknown>;
}

/** A logger that keeps its entries in memory, so tests can read what the server logged. */
export function recordingLogger(entries: LogEntry[] = [], ns = 'test'): Logger & { entries: LogEntry[] } {
  const write = (level: LogEntry['level']) => (message: string, context: Record<string, unknown> = {}) => {
    entries.push({ level, ns, message, context });
  };
  return { entries, info: write('info'), warn: write('warn'), error: write('error'), child: (name) => recordingLogger(entries, `${ns}:${name}`) };
}
