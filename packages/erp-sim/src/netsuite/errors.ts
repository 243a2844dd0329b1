import type { VendorReply } from '../core/sim-kit';

/** The RFC 9110 section each status points at in NetSuite's `type` field. */
const TYPE_BY_STATUS: Record<number, string> = {
  400: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1',
  401: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2',
  403: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.4',
  404: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5',
  405: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.6',
  429: 'https://www.rfc-editor.org/rfc/rfc6585.html#section-4',
  500: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.1',
  503: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.4',
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface NetSuiteErrorDetail {
  detail: string;
  'o:errorCode': string;
  'o:errorPath'?: string;
  'o:errorQueryParam'?: string;
  'o:errorHeader'?: string;
  'o:errorUrl'?: string;
}

/** NetSuite REST error body: `{ type, title, status, "o:errorDetails": [{ detail, "o:errorCode", … }] }`. */
export function nsError(status: number, details: NetSuiteErrorDetail | NetSuiteErrorDetail[]): VendorReply {
  return {
    status,
    body: {
      type: TYPE_BY_STATUS[status] ?? TYPE_BY_STATUS[400],
      title: TITLES[status] ?? 'Error',
      status,
      'o:errorDetails': Array.isArray(details) ? details : [details],
    },
    headers: { 'Content-Type': 'application/vnd.oracle.resource+json; type=error; charset=UTF-8' },
  };
}

export const INVALID_LOGIN = nsError(401, {
  detail:
    'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
  'o:errorCode': 'INVALID_LOGIN',
});

export function concurrencyLimitExceeded(): VendorReply {
  return nsError(429, {
    detail: 'Concurrent request limit exceeded. Request blocked.',
    'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED',
  });
}

export function unexpectedError(): VendorReply {
  return nsError(500, {
    detail: 'An unexpected error occurred. Error ID: ' + Math.random().toString(36).slice(2, 12),
    'o:errorCode': 'UNEXPECTED_ERROR',
  });
}

export function nonexistentId(path: string): VendorReply {
  return nsError(404, {
    detail: 'The record instance does not exist. Provide a valid record instance ID.',
    'o:errorCode': 'NONEXISTENT_ID',
    'o:errorUrl': path,
  });
}

/** Missing mandatory fields, worded as NetSuite words it ("Please enter value(s) for: …"). */
export function missingFields(fields: Array<{ path: string; label: string }>): VendorReply {
  return nsError(
    400,
    fields.map((f) => ({
      detail: `Error while accessing a resource. Please enter value(s) for: ${f.label}.`,
      'o:errorCode': 'USER_ERROR',
      'o:errorPath': f.path,
    })),
  );
}

export function invalidContent(path: string, detail: string): VendorReply {
  return nsError(400, { detail: `Error while accessing a resource. ${detail}`, 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': path });
}

export function invalidParameter(param: string, detail: string): VendorReply {
  return nsError(400, { detail, 'o:errorCode': 'INVALID_PARAMETER', 'o:errorQueryParam': param });
}
