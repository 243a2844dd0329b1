/** Carried on every published message so consumers continue the same correlation. */
export const CORRELATION_HEADER = 'X-Correlation-Id';
