import type { ErpId, TenantMappingOverlay } from '../mapping/types';

/**
 * Lookup tables of a demo tenant on each ERP: how its own codes (US01, NET30, US-CA, account 4000)
 * are spelt in that ERP. The mapping preview screen starts from these, and tests use them to check
 * the default mappings end to end. The values follow each system's conventions: NetSuite internal
 * ids, Business Central codes and GUIDs (with "" for the local currency), SAP company codes, tax
 * codes and 8-digit G/L accounts, Workday reference IDs.
 */
export function sampleOverlay(erp: ErpId): TenantMappingOverlay {
  switch (erp) {
    case 'netsuite':
      return {
        fieldOverrides: {},
        lookups: {
          subsidiaries: { US01: '1', DE01: '3' },
          currencies: { USD: '1', GBP: '2', EUR: '4' },
          paymentTerms: { NET15: '1', NET30: '2', NET60: '4' },
          taxCodes: { 'US-CA': '1042', 'US-NY': '1057', EXEMPT: '-7' },
          accounts: { '1010': '1', '1200': '119', '2000': '25', '2200': '111', '4000': '54', '4100': '55', '4200': '56', '5100': '67' },
        },
      };
    case 'business-central':
      return {
        fieldOverrides: {},
        lookups: {
          currencies: { USD: '', EUR: 'EUR', GBP: 'GBP' },
          paymentTerms: { NET30: '4c2f5a1e-9d1b-4f57-9c2e-3a3b1f0d7e21', NET15: '7b1e0c44-2a5d-4a8e-8f0e-5d6c9b2a1f30' },
          // BC tax groups are not per jurisdiction (the customer's tax area sets the rate), so one group per code here.
          taxCodes: { 'US-CA': 'TAXABLE', EXEMPT: 'NONTAXABLE' },
          accounts: { '1200': '13100', '2200': '23100', '4000': '40100', '4100': '40200', '4200': '40300', '5100': '61300' },
        },
      };
    case 'sap':
      return {
        fieldOverrides: {},
        lookups: {
          companyCodes: { US01: '1710', DE01: '1010' },
          paymentTerms: { NET30: 'NT30', NET15: 'NT15' },
          taxCodes: { 'US-CA': 'O1', 'US-NY': 'O2', EXEMPT: 'O0' },
          accounts: { '1200': '12100000', '2200': '22000000', '4000': '41000000', '4100': '41000100', '4200': '41000200' },
        },
      };
    case 'workday':
      return {
        fieldOverrides: {},
        lookups: {
          companyCodes: { US01: 'Northwind_USA', DE01: 'Northwind_Germany' },
          paymentTerms: { NET30: 'Net_30', NET15: 'Net_15' },
          taxCodes: { 'US-CA': 'USA_CA_Sales_Tax', 'US-NY': 'USA_NY_Sales_Tax', EXEMPT: 'Exempt' },
          accounts: { '1200': '12000', '2200': '22000', '4000': '40000', '4100': '41000', '4200': '42000' },
        },
      };
    case 'oracle-fusion':
      return {
        fieldOverrides: {},
        lookups: {
          companyCodes: { US01: 'US1 Business Unit', DE01: 'DE1 Business Unit' },
          paymentTerms: { NET30: '30 Net', NET15: '15 Net' },
          taxCodes: { 'US-CA': 'US CA STATE', 'US-NY': 'US NY STATE', EXEMPT: 'EXEMPT' },
          accounts: { '1200': '101.10.12100.000', '2200': '101.10.22000.000', '4000': '101.10.40000.000', '4100': '101.10.41000.000', '4200': '101.10.42000.000', '5100': '101.10.51000.000' },
        },
      };
  }
}
