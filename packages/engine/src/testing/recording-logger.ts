import type { Logger } from '../ports';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogLine {
  level: LogLevel;
  msg?: string;
  /** Child bindings merged with the call's own fields, as pino would print them. */
  fields: Record<string, unknown>;
}

/** A Logger that keeps every line (children share the parent's list) so tests can assert on them. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[];
  private readonly bindings: Record<string, unknown>;

  constructor(bindings: Record<string, unknown> = {}, lines: LogLine[] = []) {
    this.bindings = bindings;
    this.lines = lines;
  }

  debug(obj: object, msg?: string): void {
    this.write('debug', obj, msg);
  }
  info(obj: object, msg?: string): void {
    this.write('info', obj, msg);
  }
  warn(obj: object, msg?: string): void {
    this.write('warn', obj, msg);
  }
  error(obj: object, msg?: string): void {
    this.write('error', obj, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new RecordingLogger({ ...this.bindings, ...bindings }, this.lines);
  }

  /** Lines whose message matches. */
  find(msg: string | RegExp): LogLine[] {
    return this.lines.filter((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(l.msg ?? '')));
  }

  private write(level: LogLevel, obj: object, msg?: string): void {
    const line: LogLine = { level, fields: { ...this.bindings, ...obj } };
    if (msg !== undefined) line.msg = msg;
    this.lines.push(line);
  }
}
