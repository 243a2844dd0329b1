// Governance: API keys, webhook signing secrets and accepted message ids, and the audit log.
export * from './api-keys';
export * from './audit-log';
export * from './webhook-secrets';
