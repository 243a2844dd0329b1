import { randomUUID } from 'node:crypto';
import type { VendorReply } from '../core/sim-kit';

/** Business Central API error body: `{ "error": { "code", "message" } }`, message ending in a CorrelationId. */
export function bcError(status: number, code: string, message: string, headers?: Record<string, string>): VendorReply {
  return { status, body: { error: { code, message: `${message}  CorrelationId:  ${randomUUID()}.` } }, ...(headers ? { headers } : {}) };
}

export const bcErrors = {
  unauthorized: (tenantId: string | undefined, description: string): VendorReply =>
    bcError(401, 'Authentication_InvalidCredentials', 'The server has rejected the client credentials.', {
      'WWW-Authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${tenantId ?? 'common'}/oauth2/authorize", error="invalid_token", error_description="${description}"`,
    }),
  notFound: (what: string): VendorReply => bcError(404, 'BadRequest_NotFound', `The ${what} does not exist.`),
  noSuchSegment: (segment: string): VendorReply =>
    bcError(404, 'BadRequest_NotFound', `No HTTP resource was found that matches the request URI segment '${segment}'.`),
  methodNotAllowed: (method: string): VendorReply => bcError(405, 'BadRequest_MethodNotAllowed', `'${method}' requests for this resource are not supported.`),
  unknownProperty: (property: string, entityType: string): VendorReply =>
    bcError(
      400,
      'BadRequest',
      `The property '${property}' does not exist on type 'Microsoft.NAV.${entityType}'. Make sure to only use property names that are defined by the type.`,
    ),
  badType: (property: string, value: unknown, edmType: string): VendorReply =>
    bcError(
      400,
      'BadRequest',
      `Cannot convert the literal '${String(typeof value === 'object' ? JSON.stringify(value) : value)}' to the expected type '${edmType}' for the property '${property}'.`,
    ),
  mustHaveValue: (property: string, entityType: string): VendorReply =>
    bcError(400, 'Application_DialogException', `${property} must have a value in ${entityType}. It cannot be zero or empty.`),
  recordNotFound: (entityType: string, property: string, value: unknown): VendorReply =>
    bcError(400, 'Internal_RecordNotFound', `The ${entityType} does not exist. Identification fields and values: ${property}='${String(value)}'`),
  alreadyExists: (entityType: string, property: string, value: unknown): VendorReply =>
    bcError(
      400,
      'Internal_EntityWithSameKeyExists',
      `The record in table ${entityType} already exists. Identification fields and values: ${property}='${String(value)}'`,
    ),
  missingIfMatch: (): VendorReply =>
    bcError(
      400,
      'BadRequest_InvalidToken',
      'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
    ),
  etagMismatch: (entityType: string): VendorReply =>
    bcError(412, 'Request_EntityChanged', `Another user has already changed the record ${entityType}. Refresh the record and try again.`),
  badQuery: (message: string): VendorReply => bcError(400, 'BadRequest', message),
  badJson: (message: string): VendorReply => bcError(400, 'BadRequest_InvalidRequestBody', `The request body is not valid JSON: ${message}`),
  tooManyRequests: (): VendorReply => bcError(429, 'Application_TooManyRequests', 'Too many requests reached.  Actual (101).  Maximum (100).'),
  serverError: (): VendorReply => bcError(500, 'Internal_ServerError', 'Something went wrong. Please try again later.'),
};

/** Microsoft identity platform (AAD) token endpoint error body. */
export function aadError(status: number, error: string, code: number, description: string): VendorReply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}
