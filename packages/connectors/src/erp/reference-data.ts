import type { LookupTable } from '@switchyard/canonical';
import { NodeExecutionError } from '@switchyard/workflow';
import { DEFAULT_EXPRESSION_MAX_DEPTH, DEFAULT_EXPRESSION_TIMEOUT_MS } from '../jsonata/evaluate';
import { businessCentralClientFor } from './business-central/executor';
import { checkConnection } from './common/connection-kind';
import type { ErpDeps, ParsedConnection } from './common/record-executor';
import { TokenCache } from './common/token-cache';
import { connectionSystems, isConnectionSystem } from './kinds';
import { netsuiteClientFor } from './netsuite/executor';
import { oracleFusionClientFor } from './oracle-fusion/executor';
import { sapClientFor } from './sap/executor';
import type { ConnectionTestInput, ConnectionTestOptions } from './test-connection';
import { workdayClientFor } from './workday/executor';

/** One entry of an ERP's reference list: `value` is what a lookup table maps to (the ERP's id or code). */
export interface ReferenceItem {
  value: string;
  /** The code people know it by (account number, currency symbol), used to suggest mappings. */
  code: string;
  name: string;
}

export type ReferenceData = Partial<Record<LookupTable, ReferenceItem[]>>;

export type ReferenceDataResult = { ok: true; tables: ReferenceData } | { ok: false; message: string };

const QUERY = { pageSize: 1000, maxRecords: 5000 };
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const rowsOf = (records: unknown[]) => records as Array<Record<string, unknown>>;

/**
 * Reads the ERP's reference data (chart of accounts, tax codes, legal entities, currencies, payment
 * terms) where the system's API offers it, each from the vendor's own endpoint: NetSuite through
 * SuiteQL, Business Central's and Workday's collections, SAP's OData services, Oracle Fusion's
 * list-of-values resources. Never throws; a
 * refused credential or an unreachable system is a message in words.
 */
export async function loadReferenceData(input: ConnectionTestInput, options: ConnectionTestOptions): Promise<ReferenceDataResult> {
  if (!isConnectionSystem(input.kind)) return { ok: false, message: `unknown system ${JSON.stringify(input.kind)}` };
  const def = connectionSystems[input.kind];
  const checked = checkConnection(def, input);
  if (!checked.ok) return { ok: false, message: `the connection is incomplete: ${checked.issues.map((i) => `${i.field} ${i.message}`).join('; ')}` };
  const now = options.now ?? Date.now;
  const connection: ParsedConnection = {
    id: input.id ?? 'reference-data',
    name: input.name,
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
    config: checked.config,
    credentials: checked.credentials,
  };
  const deps: ErpDeps = {
    fetch: options.fetch,
    tokens: new TokenCache(now),
    budget: { timeoutMs: DEFAULT_EXPRESSION_TIMEOUT_MS, maxDepth: DEFAULT_EXPRESSION_MAX_DEPTH },
    now,
    sessions: new Map(),
  };
  const signal = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  try {
    return { ok: true, tables: await load(input.kind, deps, connection, signal) };
  } catch (err) {
    if (signal.aborted) return { ok: false, message: `${def.displayName} did not answer within ${options.timeoutMs ?? 15_000} ms` };
    if (err instanceof NodeExecutionError && err.code === 'auth_failed') return { ok: false, message: `${def.displayName} refused the credentials: ${err.message}` };
    if (err instanceof NodeExecutionError && err.code === 'network') return { ok: false, message: `${def.displayName} is unreachable: ${err.message}` };
    return { ok: false, message: `${def.displayName} could not list its reference data: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function load(kind: string, deps: ErpDeps, c: ParsedConnection, signal: AbortSignal): Promise<ReferenceData> {
  switch (kind) {
    case 'netsuite': {
      const client = netsuiteClientFor(deps, c, signal);
      const q = async (sql: string) => rowsOf((await client.query('suiteql', sql, QUERY)).records);
      const [accounts, subsidiaries, currencies, taxCodes, terms] = await Promise.all([
        q('SELECT id, acctnumber, acctname FROM account'),
        q('SELECT id, name, externalid FROM subsidiary'),
        q('SELECT id, symbol, name FROM currency'),
        q('SELECT id, itemid, description FROM salestaxitem'),
        q('SELECT id, name FROM term'),
      ]);
      return {
        accounts: accounts.map((r) => ({ value: str(r.id), code: str(r.acctnumber), name: str(r.acctname) })),
        subsidiaries: subsidiaries.map((r) => ({ value: str(r.id), code: str(r.externalid), name: str(r.name) })),
        currencies: currencies.map((r) => ({ value: str(r.id), code: str(r.symbol), name: str(r.name) })),
        taxCodes: taxCodes.map((r) => ({ value: str(r.id), code: str(r.itemid), name: str(r.description) })),
        paymentTerms: terms.map((r) => ({ value: str(r.id), code: '', name: str(r.name) })),
      };
    }
    case 'business-central': {
      const client = businessCentralClientFor(deps, c, signal);
      const q = async (set: string) => rowsOf((await client.query(set, undefined, QUERY)).records);
      const [accounts, taxGroups, currencies, terms] = await Promise.all([q('accounts'), q('taxGroups'), q('currencies'), q('paymentTerms')]);
      return {
        accounts: accounts.map((r) => ({ value: str(r.number), code: str(r.number), name: str(r.displayName) })),
        taxCodes: taxGroups.map((r) => ({ value: str(r.code), code: str(r.code), name: str(r.displayName) })),
        currencies: currencies.map((r) => ({ value: str(r.code), code: str(r.code), name: str(r.displayName) })),
        // Sales documents reference payment terms by their id.
        paymentTerms: terms.map((r) => ({ value: str(r.id), code: str(r.code), name: str(r.displayName) })),
      };
    }
    case 'sap': {
      const client = sapClientFor(deps, c, signal);
      const q = async (service: string, set: string) => {
        const response = await client.call({ method: 'GET', url: `${c.baseUrl}/sap/opu/odata/sap/${service}/${set}?$format=json` });
        if (response.status !== 200) throw new Error(`${service}/${set} answered HTTP ${response.status}: ${response.text.slice(0, 300)}`);
        return rowsOf((response.body as { d?: { results?: unknown[] } }).d?.results ?? []);
      };
      const [companies, accounts, taxCodes, terms] = await Promise.all([
        q('API_COMPANYCODE_SRV', 'A_CompanyCode'),
        q('API_GLACCOUNTINCHARTOFACCOUNTS_SRV', 'A_GLAccountText'),
        q('API_TAXCODE_SRV', 'A_TaxCode'),
        q('API_PAYMENTTERMS_SRV', 'A_PaymentTerms'),
      ]);
      return {
        companyCodes: companies.map((r) => ({ value: str(r.CompanyCode), code: str(r.CompanyCode), name: str(r.CompanyCodeName) })),
        accounts: accounts.map((r) => ({ value: str(r.GLAccount), code: str(r.GLAccount), name: str(r.GLAccountName) })),
        taxCodes: taxCodes.map((r) => ({ value: str(r.TaxCode), code: str(r.TaxCode), name: str(r.TaxCodeName) })),
        paymentTerms: terms.map((r) => ({ value: str(r.PaymentTerms), code: str(r.PaymentTerms), name: str(r.PaymentTermsName) })),
      };
    }
    case 'workday': {
      const client = workdayClientFor(deps, c, signal);
      const tenant = encodeURIComponent(String((c.config as { tenant?: unknown }).tenant ?? ''));
      const q = async (resource: string) => {
        const response = await client.call({ method: 'GET', url: `${c.baseUrl}/ccx/api/financialManagement/v1/${tenant}/${resource}?limit=100` });
        if (response.status !== 200) throw new Error(`${resource} answered HTTP ${response.status}: ${response.text.slice(0, 300)}`);
        return rowsOf((response.body as { data?: unknown[] }).data ?? []);
      };
      const [companies, accounts, taxCodes, terms] = await Promise.all([q('companies'), q('ledgerAccounts'), q('taxCodes'), q('paymentTerms')]);
      return {
        companyCodes: companies.map((r) => ({ value: str(r.referenceId), code: str(r.referenceId), name: str(r.descriptor) })),
        accounts: accounts.map((r) => ({ value: str(r.ledgerAccountId), code: str(r.ledgerAccountId), name: str(r.descriptor) })),
        taxCodes: taxCodes.map((r) => ({ value: str(r.referenceId), code: str(r.referenceId), name: str(r.descriptor) })),
        paymentTerms: terms.map((r) => ({ value: str(r.referenceId), code: str(r.referenceId), name: str(r.descriptor) })),
      };
    }
    case 'oracle-fusion': {
      const client = oracleFusionClientFor(deps, c, signal);
      const [units, accounts, taxCodes, terms] = await Promise.all([
        client.listCollection('finBusinessUnitsLOV'),
        client.listCollection('accountCombinationsLOV'),
        client.listCollection('taxClassifications'),
        client.listCollection('payablesPaymentTerms'),
      ]);
      // Fusion documents name business units, tax classifications and payment terms by name or
      // code, and accounts by the full segment string, so those are the values a lookup maps to.
      return {
        companyCodes: units.map((r) => ({ value: str(r.BusinessUnitName), code: str(r.BusinessUnitName), name: str(r.Description ?? r.BusinessUnitName) })),
        accounts: accounts
          .filter((r) => r.EnabledFlag !== 'N')
          .map((r) => ({ value: str(r.ConcatenatedSegments), code: str(r.ConcatenatedSegments), name: str(r.Description) })),
        taxCodes: taxCodes.map((r) => ({ value: str(r.LookupCode), code: str(r.LookupCode), name: str(r.Meaning) })),
        paymentTerms: terms.map((r) => ({ value: str(r.name), code: str(r.name), name: str(r.description ?? r.name) })),
      };
    }
    default:
      return {};
  }
}
