/** Raised for configuration mistakes; the message says which variable to set and how. */
export class DatabaseConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseConfigError';
  }
}

/** The URL without its password, safe to put in an error message or a log line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.length > 60 ? `${url.slice(0, 60)}…` : url;
  }
}

/** Accepts postgres:// and postgresql:// URLs with a host; anything else is a configuration error. */
export function assertPostgresUrl(url: string, source: string): void {
  const hint = `${source} must be a PostgreSQL URL such as postgres://user:password@host:5432/dbname`;
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new DatabaseConfigError(`${hint} (got ${JSON.stringify(redactUrl(url))}).`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseConfigError(`${hint}; ${JSON.stringify(redactUrl(url))} is not a valid URL.`);
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) {
    throw new DatabaseConfigError(`${hint}; ${JSON.stringify(redactUrl(url))} names no host.`);
  }
}
