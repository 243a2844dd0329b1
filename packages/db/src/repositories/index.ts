// Tenant-scoped repositories: every function takes the tenant id as a required parameter and puts it
// in the `where` of every query it runs (see docs/architecture.md).
export { type DbClient, isUniqueViolation } from './client';
export * from './tenants';
export * from './workflows';
export * from './publish';
export * from './runs';
export * from './webhooks';
