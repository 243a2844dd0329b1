import type { SecretBinding } from './cipher';

/**
 * What each encrypted column binds into its ciphertext as associated data. Kept in one place so the
 * code that writes a row, the code that reads it and the key rotation agree: a binding that differs
 * by one character makes the row unreadable. The cipher's binding names a connection; the other kinds
 * of rows use distinct namespaces in it, so a ciphertext cannot be moved from one kind to another.
 */
export const secretBindings = {
  connection: (tenantId: string, connectionId: string): SecretBinding => ({ tenantId, connectionId }),
  webhookSecret: (tenantId: string, secretId: string): SecretBinding => ({ tenantId, connectionId: `webhook-secret/${secretId}` }),
  statusSubscription: (tenantId: string, subscriptionId: string): SecretBinding => ({ tenantId, connectionId: `status-subscription/${subscriptionId}` }),
  // Drafts have no tenant yet (go-live creates it), so the draft id stands in for the tenant.
  onboardingDraft: (draftId: string): SecretBinding => ({ tenantId: `onboarding-draft/${draftId}`, connectionId: 'credentials' }),
} as const;

/** Every encrypted column of the schema: key rotation walks this list, so a new one must be added here. */
export interface EncryptedColumn {
  table: string;
  column: string;
  /** The row's binding from its `id` and `tenant_id` (null for tables without a tenant). */
  binding: (row: { id: string; tenant_id: string | null }) => SecretBinding;
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'connections', column: 'encrypted_credentials', binding: (r) => secretBindings.connection(r.tenant_id as string, r.id) },
  { table: 'webhook_secrets', column: 'encrypted_secret', binding: (r) => secretBindings.webhookSecret(r.tenant_id as string, r.id) },
  { table: 'status_subscriptions', column: 'encrypted_secret', binding: (r) => secretBindings.statusSubscription(r.tenant_id as string, r.id) },
  { table: 'onboarding_drafts', column: 'encrypted_secrets', binding: (r) => secretBindings.onboardingDraft(r.id) },
];
