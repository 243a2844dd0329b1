import type { NodeKindDefinition } from '@switchyard/workflow';
import { backOfficeConnection, backOfficeRecord } from './back-office/kind';
import { businessCentralConnection, businessCentralRecord } from './business-central/kind';
import type { ConnectionSystemDefinition } from './common/connection-kind';
import { netsuiteConnection, netsuiteRecord } from './netsuite/kind';
import { mysqlConnection, postgresConnection } from '../database/kinds';
import { oracleFusionConnection, oracleFusionRecord } from './oracle-fusion/kind';
import { restConnection } from './rest/kind';
import { sapConnection, sapRecord } from './sap/kind';
import { workdayConnection, workdayRecord } from './workday/kind';

/** Browser-safe: the ERP node kinds, in palette order. */
export const erpNodeKinds = [netsuiteRecord, businessCentralRecord, sapRecord, workdayRecord, oracleFusionRecord, backOfficeRecord] as const;
export type ErpKindName = 'netsuite.record' | 'business-central.record' | 'sap.record' | 'workday.record' | 'oracle-fusion.record' | 'back-office.record';

export const CONNECTION_SYSTEMS = ['netsuite', 'business-central', 'sap', 'workday', 'oracle-fusion', 'back-office', 'rest', 'postgres', 'mysql'] as const;
export type ConnectionSystem = (typeof CONNECTION_SYSTEMS)[number];

/** What a connection of each system holds (config and credential schemas), for the API and the UI. */
export const connectionSystems: Readonly<Record<ConnectionSystem, ConnectionSystemDefinition>> = {
  netsuite: netsuiteConnection,
  'business-central': businessCentralConnection,
  sap: sapConnection,
  workday: workdayConnection,
  'oracle-fusion': oracleFusionConnection,
  'back-office': backOfficeConnection,
  rest: restConnection,
  postgres: postgresConnection,
  mysql: mysqlConnection,
};

export function isConnectionSystem(value: string): value is ConnectionSystem {
  return (CONNECTION_SYSTEMS as readonly string[]).includes(value);
}

export const erpKindList: readonly NodeKindDefinition<unknown>[] = erpNodeKinds.map((k) => k as unknown as NodeKindDefinition<unknown>);
