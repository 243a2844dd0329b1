import type { LookupTable } from '@switchyard/canonical';

/**
 * What the onboarding wizard offers: data residency regions, the ERPs a tenant can run, and the
 * platform's canonical codes per lookup table (the codes canonical documents carry), with names the
 * wizard matches against the ERP's reference data to suggest mappings.
 */
export const REGIONS = [
  { id: 'eu', label: 'European Union (Frankfurt)' },
  { id: 'us', label: 'United States (Virginia)' },
  { id: 'uk', label: 'United Kingdom (London)' },
  { id: 'apac', label: 'Asia Pacific (Singapore)' },
] as const;
export const REGION_IDS = REGIONS.map((r) => r.id) as unknown as readonly ['eu', 'us', 'uk', 'apac'];

export const ONBOARDING_ERPS = ['netsuite', 'business-central', 'sap', 'workday', 'oracle-fusion'] as const;
export type OnboardingErp = (typeof ONBOARDING_ERPS)[number];

/** Other back-office systems a tenant may add besides its ERP. */
export const OTHER_SYSTEMS = ['back-office', 'rest'] as const;

/** The lookup tables each ERP's default mappings read (the others pass codes through or do not apply). */
export const ERP_LOOKUP_TABLES: Record<OnboardingErp, LookupTable[]> = {
  netsuite: ['subsidiaries', 'currencies', 'paymentTerms', 'taxCodes', 'accounts'],
  'business-central': ['currencies', 'paymentTerms', 'taxCodes', 'accounts'],
  sap: ['companyCodes', 'paymentTerms', 'taxCodes', 'accounts'],
  workday: ['companyCodes', 'paymentTerms', 'taxCodes', 'accounts'],
  // Business units (companyCodes), payment terms, tax classifications and account combinations; currency codes pass through.
  'oracle-fusion': ['companyCodes', 'paymentTerms', 'taxCodes', 'accounts'],
};

export interface CanonicalCode {
  code: string;
  name: string;
}

export const CANONICAL_CODES: Record<LookupTable, CanonicalCode[]> = {
  accounts: [
    { code: '1010', name: 'Operating cash' },
    { code: '1200', name: 'Accounts receivable' },
    { code: '2000', name: 'Accounts payable' },
    { code: '2200', name: 'Sales tax payable' },
    { code: '4000', name: 'Product revenue' },
    { code: '4100', name: 'Service revenue' },
    { code: '4200', name: 'Subscription revenue' },
    { code: '5100', name: 'Cost of goods sold' },
  ],
  taxCodes: [
    { code: 'US-CA', name: 'California sales tax' },
    { code: 'US-NY', name: 'New York sales tax' },
    { code: 'EXEMPT', name: 'Exempt, not taxable' },
  ],
  subsidiaries: [
    { code: 'US01', name: 'United States legal entity' },
    { code: 'DE01', name: 'Germany legal entity' },
  ],
  companyCodes: [
    { code: 'US01', name: 'United States legal entity' },
    { code: 'DE01', name: 'Germany legal entity' },
  ],
  currencies: [
    { code: 'USD', name: 'US Dollar' },
    { code: 'EUR', name: 'Euro' },
    { code: 'GBP', name: 'British pound' },
  ],
  paymentTerms: [
    { code: 'NET15', name: 'Net 15 days' },
    { code: 'NET30', name: 'Net 30 days' },
    { code: 'NET60', name: 'Net 60 days' },
  ],
};

export const LOOKUP_TABLE_LABELS: Record<LookupTable, string> = {
  accounts: 'Chart of accounts',
  taxCodes: 'Tax codes',
  subsidiaries: 'Subsidiaries',
  companyCodes: 'Company codes',
  currencies: 'Currencies',
  paymentTerms: 'Payment terms',
};
