export {
  startNetSuiteSim,
  type NetSuiteSimOptions,
  type NetSuiteSimHandle,
  type NetSuiteAccountConfig,
  type LoginAuditEntry,
  type NetSuiteTbaCredential,
} from './netsuite/index';
export type { SimHandle, CommonSimOptions } from './core/sim-kit';
export type { FaultSpec, FaultSpecInput } from './core/faults';
export type { StoredRecord } from './core/record-store';
export { DEMO_ESTATE } from './demo-estate';
export { startBusinessCentralSim, BC_SCOPE, type BusinessCentralSimOptions, type BusinessCentralTenantConfig } from './business-central/index';
export { startSapSim, SAP_ODATA_PREFIX, SAP_TOKEN_PATH, type SapSimOptions, type SapSystemConfig } from './sap/index';
export { SAP_JOURNAL_ENTRY_SOAP_PATH, SFIN_NAMESPACE } from './sap/journal-entry-soap';
export { startWorkdaySim, type WorkdaySimOptions, type WorkdayTenantConfig, type WorkdayWorkerSeed } from './workday/index';
export {
  startBackOfficeSim,
  type BackOfficeSimOptions,
  type BackOfficeSimHandle,
  type BackOfficeAccountConfig,
  type WebhookDelivery,
} from './back-office/index';
export { startAllSimulators, SIMULATOR_NAMES, type Estate, type EstateOptions, type SimulatorName } from './estate';
export {
  startOracleFusionSim,
  FUSION_REST_PREFIX,
  FUSION_API_VERSIONS,
  FUSION_TOKEN_PATH,
  type OracleFusionSimOptions,
  type OracleFusionInstanceConfig,
} from './oracle-fusion/index';
