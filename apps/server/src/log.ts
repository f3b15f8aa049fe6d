/** A namespaced logger that takes a context object; one JSON line per entry on stderr. */
export interface Logger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
  child(namespace: string): Logger;
}

type Level = 'info' | 'warn' | 'error';
const order: Record<Level, number> = { info: 0, warn: 1, error: 2 };

export function createLogger(namespace = 'ipscope', minLevel: Level = (process.env.LOG_LEVEL as Level | undefined) ?? 'info'): Logger {
  const write = (level: Level, message: string, context?: Record<string, unknown>) => {
    if (order[level] < (order[minLevel] ?? 0)) return;
    const entry = { time: new Date().toISOString(), level, ns: namespace, msg: message, ...context };
    process.stderr.write(`${JSON.stringify(entry, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message } : v))}\n`);
  };
  return {
    info: (m, c) => write('info', m, c),
    warn: (m, c) => write('warn', m, c),
    error: (m, c) => write('error', m, c),
    child: (ns) => createLogger(`${namespace}:${ns}`, minLevel),
  };
}
