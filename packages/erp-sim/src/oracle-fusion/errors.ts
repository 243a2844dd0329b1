import { header, type SimRequest } from '../core/http-server';
import type { VendorReply } from '../core/sim-kit';

/** One entry of Oracle's `o:errorDetails`: the message, Oracle's error code and the attribute path. */
export interface FusionErrorDetail {
  detail: string;
  'o:errorCode'?: string;
  'o:errorPath'?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The REST framework version a client asked for with `REST-Framework-Version`. Fusion answers
 * errors as plain text to clients on framework 1–3 and as the `application/vnd.oracle.adf.error+json`
 * document from version 4 on, so connectors must understand both.
 */
export function frameworkVersion(req: SimRequest): number {
  const v = Number(header(req, 'rest-framework-version') ?? '1');
  return Number.isInteger(v) && v >= 1 && v <= 9 ? v : 1;
}

export function fusionError(req: SimRequest | undefined, status: number, details: FusionErrorDetail[]): VendorReply {
  if (req && frameworkVersion(req) >= 4) {
    return {
      status,
      body: { title: TITLES[status] ?? 'Error', status: String(status), 'o:errorDetails': details },
      headers: { 'Content-Type': 'application/vnd.oracle.adf.error+json' },
    };
  }
  return { status, body: details.map((d) => d.detail).join('\n') };
}
