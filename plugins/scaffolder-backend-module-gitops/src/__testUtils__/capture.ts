import { LoggerService } from '@backstage/backend-plugin-api';

/** A logger that keeps every line (message and meta) for leak checks. */
export function capturingLogger(
  lines: string[] = [],
): LoggerService & { lines: string[] } {
  const log = (level: string) => (message: string, meta?: unknown) => {
    lines.push(
      `${level} ${message} ${meta === undefined ? '' : JSON.stringify(meta)}`,
    );
  };
  const logger: any = {
    lines,
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    debug: log('debug'),
    child: () => logger,
  };
  return logger;
}
