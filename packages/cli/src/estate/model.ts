import { z } from 'zod';

// The estate as plain files: one JSON document per object, each naming its `kind`. Which tenant or
// workflow an object belongs to follows from the folder it is in (tenants/<t>/workflows/<w>/…), so
// nothing is said twice and a file cannot contradict its folder. Ids are never written: objects are
// known by their natural keys (tenant slug, workflow name, connection name, erp + object, version
// number), which is what makes an export applied to an empty database export the same files again.

/** `"NETSUITE_ACME_TOKEN"`: the name of an environment variable holding a secret, never the secret. */
export const SecretRefSchema = z.strictObject({
  secretRef: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]{0,199}$/, 'must be an environment variable name (upper-case letters, digits and "_")'),
});
export type SecretRef = z.infer<typeof SecretRefSchema>;

const json = z.record(z.string(), z.unknown());

export const TenantFileSchema = z.strictObject({
  kind: z.literal('Tenant'),
  slug: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'may contain only lower-case letters, digits and "-" (not at either end), at most 40 characters'),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  timeZone: z.string().min(1),
  region: z.enum(['eu', 'us', 'uk', 'apac']),
  baseCurrency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "EUR"'),
});
export type TenantFile = z.infer<typeof TenantFileSchema>;

export const TenantPolicyFileSchema = z.strictObject({ kind: z.literal('TenantPolicy'), policy: json });
export type TenantPolicyFile = z.infer<typeof TenantPolicyFileSchema>;

export const ConnectionFileSchema = z.strictObject({
  kind: z.literal('Connection'),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  system: z.string().min(1),
  baseUrl: z.string().min(1),
  config: json,
  /** Credential field → where its value comes from. Values are never written to files. */
  credentials: z.record(z.string(), SecretRefSchema),
});
export type ConnectionFile = z.infer<typeof ConnectionFileSchema>;

export const MappingFileSchema = z.strictObject({
  kind: z.literal('Mapping'),
  erp: z.string().min(1),
  object: z.string().min(1).max(50),
  note: z.string().max(500),
  overlay: json,
});
export type MappingFile = z.infer<typeof MappingFileSchema>;

export const WorkflowFileSchema = z.strictObject({
  kind: z.literal('Workflow'),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().max(2000),
  draftGraph: json,
});
export type WorkflowFile = z.infer<typeof WorkflowFileSchema>;

export const WorkflowVersionFileSchema = z.strictObject({
  kind: z.literal('WorkflowVersion'),
  version: z.number().int().min(1, 'published versions are numbered from 1'),
  note: z.string().max(2000),
  graph: json,
});
export type WorkflowVersionFile = z.infer<typeof WorkflowVersionFileSchema>;

export const WorkflowPolicyFileSchema = z.strictObject({ kind: z.literal('WorkflowPolicy'), policy: json });
export type WorkflowPolicyFile = z.infer<typeof WorkflowPolicyFileSchema>;

export const ScheduleSchema = z.strictObject({
  name: z.string().max(200),
  cron: z.string().min(1),
  timeZone: z.string().min(1),
  payload: z.unknown(),
  enabled: z.boolean(),
});
export type ScheduleSpec = z.infer<typeof ScheduleSchema>;

/** How a workflow runs for its tenant: the active version, its cron schedules and the signing secrets of its webhook route. */
export const DeploymentFileSchema = z.strictObject({
  kind: z.literal('Deployment'),
  activeVersion: z.number().int().min(1).nullable(),
  schedules: z.array(ScheduleSchema),
  /** Newest first; two while a rotation is in progress. The route requires signatures when there is one. */
  signingSecrets: z.array(SecretRefSchema).max(2, 'at most 2 signing secrets are live at once (the newest and the previous)'),
  /** The template (and its variables) the workflow was made from, when onboarding made it: onboarding edits start from it. */
  template: z.strictObject({ id: z.string().min(1).max(100), variables: z.record(z.string(), z.unknown()) }).nullable().optional(),
});
export type DeploymentFile = z.infer<typeof DeploymentFileSchema>;

export interface WorkflowEstate {
  workflow: WorkflowFile;
  versions: Map<number, WorkflowVersionFile>;
  deployment: DeploymentFile;
  policy: WorkflowPolicyFile | null;
}

export interface TenantEstate {
  tenant: TenantFile;
  policy: TenantPolicyFile | null;
  connections: Map<string, ConnectionFile>;
  /** Keyed `<erp>/<object>`. */
  mappings: Map<string, MappingFile>;
  workflows: Map<string, WorkflowEstate>;
}

/** Keyed by tenant slug. */
export type Estate = Map<string, TenantEstate>;

/** A problem with the files, located precisely enough to fix it: the file and the JSON path in it. */
export interface EstateError {
  file: string;
  path: string;
  message: string;
}

export const mappingKey = (erp: string, object: string) => `${erp}/${object}`;

/** One id per object, used by the plan and to find the file an object came from. */
export const objectId = {
  tenant: (t: string) => `tenant ${t}`,
  tenantPolicy: (t: string) => `tenant-policy ${t}`,
  connection: (t: string, name: string) => `connection ${t}/${name}`,
  mapping: (t: string, key: string) => `mapping ${t}/${key}`,
  workflow: (t: string, name: string) => `workflow ${t}/${name}`,
  version: (t: string, name: string, n: number) => `version ${t}/${name}@${n}`,
  deployment: (t: string, name: string) => `deployment ${t}/${name}`,
  workflowPolicy: (t: string, name: string) => `workflow-policy ${t}/${name}`,
};

/** Object id → the file (relative to the estate folder) it is defined in. */
export type Origins = Map<string, string>;
