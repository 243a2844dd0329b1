import { canonicalVersions, getCanonicalSchema, isCanonicalName, migrateCanonical, validateCanonical, type FieldError } from '@switchyard/canonical';
import type { GraphIssue, WebhookContract } from '@switchyard/workflow';

/**
 * Contracts at the edge: a webhook trigger may declare the canonical object and version it accepts.
 * Ingress checks the payload before a run exists, so a sender learns which field is wrong at once
 * instead of a run failing somewhere downstream.
 */

/** The request header in which a sender names the canonical version of its payload. */
export const SCHEMA_VERSION_HEADER = 'schema-version';

export type ContractOutcome =
  | { ok: true; payload: unknown; headers: Record<string, string> }
  | { ok: false; status: 400 | 422; body: { error: string; schema: string; issues: FieldError[] } };

/** The instant a deprecated version stops being accepted: the start (UTC) of its sunset day. */
export function sunsetInstant(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function refuse(status: 400 | 422, contract: WebhookContract, error: string, issues: FieldError[]): ContractOutcome {
  return { ok: false, status, body: { error, schema: `${contract.object}/v${contract.version}`, issues } };
}

/**
 * Validates `payload` against the contract. A deprecated version (before its sunset) is validated at
 * its own version and migrated to the contract's, and the answer carries `Warning` and `Sunset`
 * headers; the workflow always sees the version it was written against.
 */
export function checkContract(contract: WebhookContract, headers: Record<string, string>, payload: unknown, now: Date = new Date()): ContractOutcome {
  const declared = headers[SCHEMA_VERSION_HEADER]?.trim();
  let version = contract.version;
  if (declared !== undefined && declared !== '') {
    const match = /^v?(\d{1,4})$/i.exec(declared);
    if (!match) {
      return refuse(400, contract, `the ${SCHEMA_VERSION_HEADER} header must be a version number such as ${contract.version}`, [{ path: '', message: `${SCHEMA_VERSION_HEADER} ${JSON.stringify(declared)} is not a version number` }]);
    }
    version = Number(match[1]);
  }

  if (version === contract.version) {
    const result = validateCanonical(contract.object, version, payload);
    if (!result.ok) return refuse(422, contract, `the payload is not a valid ${contract.object} v${version}`, result.errors);
    // The raw payload, not zod's output: defaults and coercions are the workflow's business, and the
    // stored trigger payload should be what the sender sent.
    return { ok: true, payload, headers: {} };
  }

  const deprecated = contract.deprecated.find((d) => d.version === version);
  const accepted = [contract.version, ...contract.deprecated.filter((d) => now < sunsetInstant(d.sunset)).map((d) => d.version)].sort((a, b) => a - b);
  if (!deprecated) {
    return refuse(400, contract, `${contract.object} v${version} is not accepted here; send ${accepted.map((v) => `v${v}`).join(' or ')}`, [
      { path: '', message: `${SCHEMA_VERSION_HEADER} ${version} is not accepted (accepted: ${accepted.join(', ')})` },
    ]);
  }
  const sunset = sunsetInstant(deprecated.sunset);
  if (now >= sunset) {
    return refuse(400, contract, `${contract.object} v${version} reached its sunset on ${deprecated.sunset} and is no longer accepted; send v${contract.version}`, [
      { path: '', message: `${SCHEMA_VERSION_HEADER} ${version} was retired on ${deprecated.sunset}` },
    ]);
  }
  const migrated = migrateCanonical(contract.object, payload, version, contract.version);
  if (!migrated.ok) return refuse(422, contract, `the payload is not a valid ${contract.object} v${version}`, migrated.errors);
  return {
    ok: true,
    payload: migrated.value,
    headers: {
      // RFC 7234 warn-code 299 ("miscellaneous persistent warning"), and RFC 8594's Sunset.
      warning: `299 switchyard "${contract.object} v${version} is deprecated and will be refused from ${deprecated.sunset}; send v${contract.version}"`,
      sunset: sunset.toUTCString(),
      deprecation: 'true',
    },
  };
}

/** Graph issues for a contract naming an object or version that does not exist (checked at publish). */
export function contractIssues(contract: WebhookContract, nodeId: string, nodeIndex: number): GraphIssue[] {
  const at = (field: string) => `nodes[${nodeIndex}].config.contract${field}`;
  if (!isCanonicalName(contract.object)) {
    return [{ nodeId, path: at('.object'), code: 'invalid_config', message: `contract.object: there is no canonical object ${JSON.stringify(contract.object)}` }];
  }
  const known = canonicalVersions(contract.object);
  const issues: GraphIssue[] = [];
  if (!getCanonicalSchema(contract.object, contract.version)) {
    issues.push({ nodeId, path: at('.version'), code: 'invalid_config', message: `contract.version: ${contract.object} has no version ${contract.version} (versions: ${known.join(', ')})` });
  }
  const seen = new Set<number>();
  contract.deprecated.forEach((d, i) => {
    const field = `contract.deprecated[${i}].version`;
    if (!getCanonicalSchema(contract.object, d.version)) issues.push({ nodeId, path: at(`.deprecated[${i}].version`), code: 'invalid_config', message: `${field}: ${contract.object} has no version ${d.version}` });
    else if (d.version >= contract.version) issues.push({ nodeId, path: at(`.deprecated[${i}].version`), code: 'invalid_config', message: `${field}: must be older than the accepted version ${contract.version}` });
    else if (seen.has(d.version)) issues.push({ nodeId, path: at(`.deprecated[${i}].version`), code: 'invalid_config', message: `${field}: version ${d.version} is listed twice` });
    seen.add(d.version);
  });
  return issues;
}
