import pino from 'pino';

/**
 * Structured JSON logs. Secrets never reach a log line: executors log ids and statuses, not
 * payload values, and these keys are redacted wherever they appear.
 */
export function createLogger(level: string, name = 'switchyard', destination?: pino.DestinationStream) {
  const options: pino.LoggerOptions = {
    name,
    level,
    redact: { paths: ['*.authorization', '*.password', '*.secret', '*.token', '*.apiKey', 'headers.authorization'], censor: '[redacted]' },
  };
  // stdout unless told otherwise (tests read the lines from a stream of their own).
  return destination ? pino(options, destination) : pino(options);
}
