/**
 * Browser-safe entry (`@switchyard/connectors/metadata`): the node kinds a workflow may use, as the
 * workflow package's definitions (display metadata, config schema, ports), and what a connection of
 * each system holds. The designer palette and the API's validation import this; they must never pull
 * in executors (undici, node: modules), so this file and what it imports stay free of them.
 */
import { validateCanonicalNodeKind } from '@switchyard/canonical';
import { builtinNodeKinds, type CoreNodeKind, type NodeKindDefinition, type NodeKindRegistry } from '@switchyard/workflow';
import { erpKindList } from './erp/kinds';
import { restRequest } from './erp/rest/kind';
import { eventPublish, eventTrigger } from './events/kinds';
import { fileParse, fileTrigger, fileWrite } from './files/kinds';
import { sqlPollTrigger, sqlQuery, sqlUpsert } from './database/kinds';

export type ConnectorNodeKind = CoreNodeKind;

/**
 * In palette order: the core kinds, the control kinds the engine runs itself (map, join, waits), the
 * canonical validation, the generic REST call and the ERP record kinds.
 */
export const connectorNodeKinds: readonly NodeKindDefinition<unknown>[] = [
  ...builtinNodeKinds,
  validateCanonicalNodeKind as unknown as NodeKindDefinition<unknown>,
  restRequest as unknown as NodeKindDefinition<unknown>,
  ...erpKindList,
  eventTrigger as unknown as NodeKindDefinition<unknown>,
  eventPublish as unknown as NodeKindDefinition<unknown>,
  fileTrigger as unknown as NodeKindDefinition<unknown>,
  fileParse as unknown as NodeKindDefinition<unknown>,
  fileWrite as unknown as NodeKindDefinition<unknown>,
  sqlPollTrigger as unknown as NodeKindDefinition<unknown>,
  sqlQuery as unknown as NodeKindDefinition<unknown>,
  sqlUpsert as unknown as NodeKindDefinition<unknown>,
];

export const connectorKindRegistry: NodeKindRegistry = new Map(connectorNodeKinds.map((kind) => [kind.kind, kind]));

export {
  coreNodeKinds,
  manualTrigger,
  webhookTrigger,
  httpRequest,
  transform,
  condition,
  respond,
  delay,
  type CoreNodeKind,
} from '@switchyard/workflow';
export {
  connectionSystems,
  CONNECTION_SYSTEMS,
  isConnectionSystem,
  erpNodeKinds,
  type ConnectionSystem,
  type ErpKindName,
} from './erp/kinds';
export { checkConnection, type ConnectionIssue, type ConnectionSystemDefinition } from './erp/common/connection-kind';
export { RECORD_OPERATIONS, type ErpRecordConfig, type RecordOperation } from './erp/common/record-kind';
export { netsuiteRecord, NETSUITE_RECORD_TYPES } from './erp/netsuite/kind';
export { businessCentralRecord, BC_RECORD_TYPES } from './erp/business-central/kind';
export { sapRecord, SAP_RECORD_TYPES } from './erp/sap/kind';
export { workdayRecord, WORKDAY_RECORD_TYPES } from './erp/workday/kind';
export { oracleFusionRecord, ORACLE_FUSION_RECORD_TYPES, ORACLE_FUSION_NATURAL_KEYS } from './erp/oracle-fusion/kind';
export { backOfficeRecord, BACK_OFFICE_RECORD_TYPES } from './erp/back-office/kind';
export { restRequest, REST_AUTH_PRESETS, type RestRequestConfig } from './erp/rest/kind';
export {
  eventTrigger,
  eventPublish,
  EVENT_BROKERS,
  EventTriggerConfigSchema,
  EventPublishConfigSchema,
  type EventBrokerName,
  type EventTriggerConfig,
  type EventPublishConfig,
} from './events/kinds';
export {
  fileTrigger,
  fileParse,
  fileWrite,
  FILE_FORMATS,
  FileTriggerConfigSchema,
  FileParseConfigSchema,
  FileWriteConfigSchema,
  type FileTriggerConfig,
  type FileParseConfig,
  type FileWriteConfig,
} from './files/kinds';
export {
  sqlQuery,
  sqlUpsert,
  sqlPollTrigger,
  SQL_SYSTEMS,
  SqlQueryConfigSchema,
  SqlUpsertConfigSchema,
  SqlPollTriggerConfigSchema,
  type SqlSystem,
  type SqlQueryConfig,
  type SqlUpsertConfig,
  type SqlPollTriggerConfig,
} from './database/kinds';
