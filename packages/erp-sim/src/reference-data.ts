/**
 * Reference data each simulated ERP serves read-only (chart of accounts, tax codes, legal entities,
 * currencies, payment terms), in the vendor's own shape and at the vendor's own address. The onboarding
 * wizard loads it through the connectors to suggest lookup-table entries. The values agree with the
 * demo overlays in `@switchyard/canonical` (`sampleOverlay`), so a tenant that accepts every suggestion
 * gets the mapping the template tests run with.
 */

/** NetSuite: SuiteQL tables (`SELECT … FROM account`), rows with lower-case columns. */
export const NETSUITE_REFERENCE: Record<string, Array<Record<string, string | number>>> = {
  account: [
    { id: 1, acctnumber: '1010', acctname: 'Operating cash', accttype: 'Bank' },
    { id: 119, acctnumber: '1200', acctname: 'Accounts receivable', accttype: 'AcctRec' },
    { id: 25, acctnumber: '2000', acctname: 'Accounts payable', accttype: 'AcctPay' },
    { id: 111, acctnumber: '2200', acctname: 'Sales tax payable', accttype: 'OthCurrLiab' },
    { id: 54, acctnumber: '4000', acctname: 'Product revenue', accttype: 'Income' },
    { id: 55, acctnumber: '4100', acctname: 'Service revenue', accttype: 'Income' },
    { id: 56, acctnumber: '4200', acctname: 'Subscription revenue', accttype: 'Income' },
    { id: 67, acctnumber: '5100', acctname: 'Cost of goods sold', accttype: 'COGS' },
  ],
  subsidiary: [
    { id: 1, name: 'Northwind Inc. (United States)', country: 'US', externalid: 'US01' },
    { id: 3, name: 'Northwind GmbH (Germany)', country: 'DE', externalid: 'DE01' },
  ],
  currency: [
    { id: 1, symbol: 'USD', name: 'US Dollar' },
    { id: 2, symbol: 'GBP', name: 'British pound' },
    { id: 3, symbol: 'CAD', name: 'Canadian dollar' },
    { id: 4, symbol: 'EUR', name: 'Euro' },
  ],
  salestaxitem: [
    { id: 1042, itemid: 'CA', description: 'California state sales tax' },
    { id: 1057, itemid: 'NY', description: 'New York state sales tax' },
    { id: -7, itemid: '-Not Taxable-', description: 'Not taxable (exempt)' },
  ],
  term: [
    { id: 1, name: 'Net 15' },
    { id: 2, name: 'Net 30' },
    { id: 4, name: 'Net 60' },
  ],
};

/** Business Central API v2.0 entity sets under `companies({id})/`, read-only. */
export const BUSINESS_CENTRAL_REFERENCE: Record<string, Array<Record<string, string>>> = {
  accounts: [
    { id: 'a1c0e3f0-0000-4000-8000-000000013100', number: '13100', displayName: 'Accounts receivable, domestic', category: 'Assets' },
    { id: 'a1c0e3f0-0000-4000-8000-000000023100', number: '23100', displayName: 'Sales tax payable', category: 'Liabilities' },
    { id: 'a1c0e3f0-0000-4000-8000-000000040100', number: '40100', displayName: 'Product revenue, domestic', category: 'Income' },
    { id: 'a1c0e3f0-0000-4000-8000-000000040200', number: '40200', displayName: 'Service revenue', category: 'Income' },
    { id: 'a1c0e3f0-0000-4000-8000-000000040300', number: '40300', displayName: 'Subscription revenue', category: 'Income' },
  ],
  taxGroups: [
    { id: 'b2d1f4a1-0000-4000-8000-0000000000a1', code: 'TAXABLE', displayName: 'California sales tax (taxable)' },
    { id: 'b2d1f4a1-0000-4000-8000-0000000000a2', code: 'NONTAXABLE', displayName: 'Not taxable (exempt)' },
  ],
  // A blank currency code is Business Central's local currency (LCY), here the company's US dollar.
  currencies: [
    { id: 'c3e2a5b2-0000-4000-8000-000000000000', code: '', displayName: 'US Dollar (local currency)' },
    { id: 'c3e2a5b2-0000-4000-8000-0000000000e1', code: 'EUR', displayName: 'Euro' },
    { id: 'c3e2a5b2-0000-4000-8000-0000000000e2', code: 'GBP', displayName: 'British pound' },
  ],
  paymentTerms: [
    { id: '7b1e0c44-2a5d-4a8e-8f0e-5d6c9b2a1f30', code: '15 DAYS', displayName: 'Net 15 days' },
    { id: '4c2f5a1e-9d1b-4f57-9c2e-3a3b1f0d7e21', code: '30 DAYS', displayName: 'Net 30 days' },
  ],
};

/** SAP S/4HANA Cloud OData v2 services (`/sap/opu/odata/sap/{service}/{set}`), read-only. */
export const SAP_REFERENCE: Record<string, { set: string; rows: Array<Record<string, string>> }> = {
  API_COMPANYCODE_SRV: {
    set: 'A_CompanyCode',
    rows: [
      { CompanyCode: '1710', CompanyCodeName: 'Northwind Inc. (United States)', Country: 'US', Currency: 'USD' },
      { CompanyCode: '1010', CompanyCodeName: 'Northwind GmbH (Germany)', Country: 'DE', Currency: 'EUR' },
    ],
  },
  API_GLACCOUNTINCHARTOFACCOUNTS_SRV: {
    set: 'A_GLAccountText',
    rows: [
      { ChartOfAccounts: 'YCOA', GLAccount: '12100000', Language: 'EN', GLAccountName: 'Accounts receivable, domestic' },
      { ChartOfAccounts: 'YCOA', GLAccount: '22000000', Language: 'EN', GLAccountName: 'Sales tax payable (output tax)' },
      { ChartOfAccounts: 'YCOA', GLAccount: '41000000', Language: 'EN', GLAccountName: 'Product revenue, domestic' },
      { ChartOfAccounts: 'YCOA', GLAccount: '41000100', Language: 'EN', GLAccountName: 'Service revenue' },
      { ChartOfAccounts: 'YCOA', GLAccount: '41000200', Language: 'EN', GLAccountName: 'Subscription revenue' },
    ],
  },
  API_TAXCODE_SRV: {
    set: 'A_TaxCode',
    rows: [
      { TaxCode: 'O1', TaxCodeName: 'A/R California sales tax' },
      { TaxCode: 'O2', TaxCodeName: 'A/R New York sales tax' },
      { TaxCode: 'O0', TaxCodeName: 'A/R not taxable (exempt)' },
    ],
  },
  API_PAYMENTTERMS_SRV: {
    set: 'A_PaymentTerms',
    rows: [
      { PaymentTerms: 'NT15', PaymentTermsName: 'Net 15 days' },
      { PaymentTerms: 'NT30', PaymentTermsName: 'Net 30 days' },
    ],
  },
};

/** Workday Financial Management REST resources under `/ccx/api/financialManagement/v1/{tenant}/`. */
export const WORKDAY_REFERENCE: Record<string, Array<Record<string, string>>> = {
  companies: [
    { id: 'c0a8e1d2f3b44c5d9e8f7a6b5c4d3e21', referenceId: 'Northwind_USA', descriptor: 'Northwind Inc. (United States)' },
    { id: 'c0a8e1d2f3b44c5d9e8f7a6b5c4d3e22', referenceId: 'Northwind_Germany', descriptor: 'Northwind GmbH (Germany)' },
  ],
  ledgerAccounts: [
    { id: 'd1b9f2e3a4c54d6e8f9a0b1c2d3e4f51', ledgerAccountId: '12000', descriptor: 'Accounts receivable' },
    { id: 'd1b9f2e3a4c54d6e8f9a0b1c2d3e4f52', ledgerAccountId: '22000', descriptor: 'Sales tax payable' },
    { id: 'd1b9f2e3a4c54d6e8f9a0b1c2d3e4f53', ledgerAccountId: '40000', descriptor: 'Product revenue' },
    { id: 'd1b9f2e3a4c54d6e8f9a0b1c2d3e4f54', ledgerAccountId: '41000', descriptor: 'Service revenue' },
    { id: 'd1b9f2e3a4c54d6e8f9a0b1c2d3e4f55', ledgerAccountId: '42000', descriptor: 'Subscription revenue' },
  ],
  taxCodes: [
    { id: 'e2c0a3f4b5d64e7f9a0b1c2d3e4f5a61', referenceId: 'USA_CA_Sales_Tax', descriptor: 'California sales tax' },
    { id: 'e2c0a3f4b5d64e7f9a0b1c2d3e4f5a62', referenceId: 'USA_NY_Sales_Tax', descriptor: 'New York sales tax' },
    { id: 'e2c0a3f4b5d64e7f9a0b1c2d3e4f5a63', referenceId: 'Exempt', descriptor: 'Exempt (not taxable)' },
  ],
  paymentTerms: [
    { id: 'f3d1b4a5c6e74f8a0b1c2d3e4f5a6b71', referenceId: 'Net_15', descriptor: 'Net 15 days' },
    { id: 'f3d1b4a5c6e74f8a0b1c2d3e4f5a6b72', referenceId: 'Net_30', descriptor: 'Net 30 days' },
  ],
};

/**
 * Oracle Fusion Cloud ERP list-of-values resources under `/fscmRestApi/resources/{version}/`, read-only,
 * listed with Fusion's `items`/`hasMore` paging. Business units, payables payment terms, tax
 * classifications and account combinations (the full segment string, company.cost-centre.account.sub).
 */
export const ORACLE_FUSION_REFERENCE: Record<string, Array<Record<string, string | number>>> = {
  finBusinessUnitsLOV: [
    { BusinessUnitId: 300000046987012, BusinessUnitName: 'US1 Business Unit', Description: 'Northwind Inc. (United States)' },
    { BusinessUnitId: 300000046987016, BusinessUnitName: 'DE1 Business Unit', Description: 'Northwind GmbH (Germany)' },
  ],
  payablesPaymentTerms: [
    { termsId: 10003, name: '15 Net', description: 'Net 15 days' },
    { termsId: 10000, name: '30 Net', description: 'Net 30 days' },
  ],
  taxClassifications: [
    { LookupCode: 'US CA STATE', Meaning: 'California sales tax', LookupType: 'ZX_OUTPUT_CLASSIFICATIONS' },
    { LookupCode: 'US NY STATE', Meaning: 'New York sales tax', LookupType: 'ZX_OUTPUT_CLASSIFICATIONS' },
    { LookupCode: 'EXEMPT', Meaning: 'Exempt (not taxable)', LookupType: 'ZX_OUTPUT_CLASSIFICATIONS' },
  ],
  accountCombinationsLOV: [
    { _CODE_COMBINATION_ID: 13001, _CHART_OF_ACCOUNTS_ID: 101, ConcatenatedSegments: '101.10.12100.000', Description: 'Accounts receivable', EnabledFlag: 'Y' },
    { _CODE_COMBINATION_ID: 13002, _CHART_OF_ACCOUNTS_ID: 101, ConcatenatedSegments: '101.10.22000.000', Description: 'Sales tax payable', EnabledFlag: 'Y' },
    { _CODE_COMBINATION_ID: 13003, _CHART_OF_ACCOUNTS_ID: 101, ConcatenatedSegments: '101.10.40000.000', Description: 'Product revenue', EnabledFlag: 'Y' },
    { _CODE_COMBINATION_ID: 13004, _CHART_OF_ACCOUNTS_ID: 101, ConcatenatedSegments: '101.10.41000.000', Description: 'Service revenue', EnabledFlag: 'Y' },
    { _CODE_COMBINATION_ID: 13005, _CHART_OF_ACCOUNTS_ID: 101, ConcatenatedSegments: '101.10.42000.000', Description: 'Subscription revenue', EnabledFlag: 'Y' },
    { _CODE_COMBINATION_ID: 13006, _CHART_OF_ACCOUNTS_ID: 101, ConcatenatedSegments: '101.10.51000.000', Description: 'Cost of goods sold', EnabledFlag: 'Y' },
  ],
};
