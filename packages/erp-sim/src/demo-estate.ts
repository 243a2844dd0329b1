/**
 * Credentials and tenants of the demo estate. They are fake, exist only inside these simulators, and
 * are what the demo seed wires its tenants' connections to; they are also each simulator's default.
 */
export const DEMO_ESTATE = {
  netsuite: {
    accounts: [
      {
        accountId: 'TSTDRV1000001',
        maxConcurrency: 5,
        credentials: [
          {
            consumerKey: 'demo-ns-consumer-key-1',
            consumerSecret: 'demo-ns-consumer-secret-1',
            tokenId: 'demo-ns-token-id-1',
            tokenSecret: 'demo-ns-token-secret-1',
          },
        ],
      },
      {
        accountId: '1000002_SB1',
        maxConcurrency: 5,
        credentials: [
          {
            consumerKey: 'demo-ns-consumer-key-2',
            consumerSecret: 'demo-ns-consumer-secret-2',
            tokenId: 'demo-ns-token-id-2',
            tokenSecret: 'demo-ns-token-secret-2',
          },
        ],
      },
    ],
  },
  businessCentral: {
    tenants: [
      {
        tenantId: '3f6b2a1e-0000-4000-8000-00000000bc01',
        environment: 'production',
        clients: [{ clientId: 'demo-bc-client-1', clientSecret: 'demo-bc-secret-1' }],
        companies: [{ id: '5d115c9c-44e3-ea11-bb43-000d3a2feca1', name: 'CRONUS USA, Inc.' }],
      },
    ],
  },
  sap: {
    systems: [
      {
        systemId: 'S4C',
        client: '100',
        users: [{ username: 'DEMO_COMM_USER', password: 'demo-sap-password-1' }],
        oauthClients: [{ clientId: 'demo-sap-client-1', clientSecret: 'demo-sap-secret-1' }],
      },
    ],
  },
  workday: {
    tenants: [
      {
        tenant: 'acme_demo1',
        clients: [{ clientId: 'demo-wd-client-1', clientSecret: 'demo-wd-secret-1', refreshTokens: ['demo-wd-refresh-token-1'] }],
        workers: [
          { id: '3aa5550b7fe348b98d7b5741ba4a5023', descriptor: 'Logan McNeil', employeeId: '21001', businessTitle: 'Chief Financial Officer' },
          { id: '7bb6661c8af459c09e8c6852cb5b6134', descriptor: 'Teresa Serrano', employeeId: '21002', businessTitle: 'Accountant' },
        ],
      },
    ],
  },
  backOffice: {
    accounts: [{ account: 'demo-backoffice', apiKeys: ['demo-backoffice-key-1'] }],
  },
  oracleFusion: {
    instances: [
      {
        instance: 'acme-fa-test',
        users: [{ username: 'integration.user@acme.example', password: 'demo-fa-password-1' }],
        clients: [{ clientId: 'demo-fa-client-1', clientSecret: 'demo-fa-secret-1' }],
        suppliers: [
          { Supplier: 'Lee Supplies', SupplierNumber: '1252', TaxpayerId: '94-1234567' },
          { Supplier: 'Northwind Traders', SupplierNumber: '1253' },
        ],
      },
    ],
  },
} as const;
