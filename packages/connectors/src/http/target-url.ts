import { NodeExecutionError } from '@switchyard/workflow';

export interface Target {
  /** The URL actually requested: credentials removed (fetch refuses URLs that carry them). */
  url: URL;
  /** For messages and logs: no credentials, query values replaced. */
  display: string;
  /** `user:password` from the URL, sent as Basic auth. */
  basicAuth?: string;
}

/** Validates the configured URL; anything but an absolute http(s) URL is a permanent config error. */
export function parseTarget(raw: string): Target {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new NodeExecutionError('http.request config is invalid: url: must be an absolute http:// or https:// URL', {
      code: 'invalid_config',
      retryable: false,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NodeExecutionError(
      `http.request config is invalid: url: scheme "${url.protocol.replace(/:$/, '')}" is not allowed (use http or https)`,
      { code: 'invalid_config', retryable: false },
    );
  }
  let basicAuth: string | undefined;
  if (url.username || url.password) {
    basicAuth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    url.username = '';
    url.password = '';
  }
  return { url, display: displayUrl(url), basicAuth };
}

/**
 * Query strings often carry API keys (`?api_key=…`, signed URLs), and these messages end up in run
 * history that every tenant admin can read: keep the parameter names, drop the values.
 */
export function displayUrl(url: URL): string {
  const names = [...url.searchParams.keys()];
  const query = names.length > 0 ? `?${names.map((name) => `${encodeURIComponent(name)}=***`).join('&')}` : '';
  return `${url.origin}${url.pathname}${query}`;
}
