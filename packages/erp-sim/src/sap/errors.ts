import { randomBytes } from 'node:crypto';
import type { VendorReply } from '../core/sim-kit';

export interface SapErrorDetail {
  code: string;
  message: string;
  propertyref?: string;
}

/**
 * SAP Gateway (OData v2) error body: `{ error: { code, message: { lang, value }, innererror: { …,
 * errordetails: [{ code, message, propertyref, severity, target }] } } }`.
 */
export function sapError(status: number, service: string, code: string, message: string, details: SapErrorDetail[] = []): VendorReply {
  const now = new Date();
  const stamp = now
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.(\d{3})Z$/, '.$10000');
  return {
    status,
    body: {
      error: {
        code,
        message: { lang: 'en', value: message },
        innererror: {
          application: { component_id: componentOf(service), service_namespace: '/SAP/', service_id: service, service_version: '0001' },
          transactionid: randomBytes(16).toString('hex').toUpperCase(),
          timestamp: stamp,
          Error_Resolution: {
            SAP_Transaction:
              'For backend administrators: use ADT feed reader "SAP Gateway Error Log" or run transaction /IWFND/ERROR_LOG on SAP Gateway hub system and search for entries with the timestamp above for more details',
            SAP_Note: 'See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)',
          },
          errordetails: details.map((d) => ({
            code: d.code,
            message: d.message,
            propertyref: d.propertyref ?? '',
            severity: 'error',
            target: d.propertyref ?? '',
            transition: false,
          })),
        },
      },
    },
  };
}

function componentOf(service: string): string {
  if (service.startsWith('API_SALES_ORDER')) return 'SD-SLS-API';
  if (service.startsWith('API_BILLING')) return 'SD-BIL-API';
  if (service.startsWith('API_JOURNAL')) return 'FI-GL-API';
  return 'BC-ESI-ESF-GW';
}

export const sapErrors = {
  notFound: (service: string, what: string) => sapError(404, service, '/IWBEP/CM_MGW_RT/020', `Resource not found for segment '${what}'`),
  noService: (service: string) => sapError(404, service, '/IWFND/CM_MED/025', `No service found for namespace '/SAP/', name '${service}', version '0001'`),
  methodNotAllowed: (service: string, method: string, what: string) =>
    sapError(405, service, '/IWBEP/CM_MGW_RT/021', `Method '${method}' is not allowed for '${what}'`),
  missingFields: (service: string, fields: string[]) =>
    sapError(
      400,
      service,
      '00/055',
      'Make an entry in all required fields',
      fields.map((f) => ({ code: '00/055', message: `Make an entry in field ${f}`, propertyref: f })),
    ),
  unknownProperty: (service: string, property: string, type: string) =>
    sapError(400, service, '/IWBEP/CM_MGW_RT/021', `Property '${property}' is invalid for entity type '${type}'`, [
      { code: '/IWBEP/CM_MGW_RT/021', message: `Property '${property}' is invalid`, propertyref: property },
    ]),
  invalidValue: (service: string, property: string, value: unknown) =>
    sapError(
      400,
      service,
      '/IWBEP/CM_MGW_RT/004',
      `Invalid value '${String(typeof value === 'object' ? JSON.stringify(value) : value)}' for property '${property}'`,
      [{ code: '/IWBEP/CM_MGW_RT/004', message: 'Invalid value', propertyref: property }],
    ),
  badRequest: (service: string, message: string, property?: string) =>
    sapError(400, service, '/IWBEP/CM_MGW_RT/022', message, property ? [{ code: '/IWBEP/CM_MGW_RT/022', message, propertyref: property }] : []),
  preconditionRequired: (service: string) =>
    sapError(428, service, '/IWBEP/CM_MGW_RT/186', "Precondition required: send the entity's ETag in the If-Match header"),
  preconditionFailed: (service: string) =>
    sapError(412, service, '/IWBEP/CM_MGW_RT/187', 'Precondition failed: the entity was changed in the meantime (ETag mismatch)'),
  throttled: (service: string) => sapError(429, service, '/IWFND/CM_BEC/076', 'Too many requests; try again later'),
  serverError: (service: string) => sapError(500, service, '/IWBEP/CM_MGW_RT/000', 'Internal server error in the backend system'),
};

/** SAP answers a failed logon with an HTML page and a Basic challenge naming the system and client. */
export function logonFailed(systemId: string, client: string): VendorReply {
  return {
    status: 401,
    body: '<html><head><title>Logon Error Message</title></head><body><h1>Logon failed</h1></body></html>',
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'WWW-Authenticate': `Basic realm="SAP NetWeaver Application Server [${systemId}/${client}]"` },
  };
}

/** The CSRF rejection is plain text with `x-csrf-token: Required`, not an OData error body. */
export const CSRF_FAILED: VendorReply = {
  status: 403,
  body: 'CSRF token validation failed',
  headers: { 'x-csrf-token': 'Required', 'Content-Type': 'text/plain; charset=utf-8' },
};
