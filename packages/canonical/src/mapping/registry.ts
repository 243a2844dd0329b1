import { businessCentralMappings } from './erps/business-central';
import { netsuiteMappings } from './erps/netsuite';
import { oracleFusionMappings } from './erps/oracle-fusion';
import { sapMappings } from './erps/sap';
import { workdayMappings } from './erps/workday';
import type { ErpId, MappingDefinition } from './types';

/** Every default mapping, keyed by id (`netsuite.invoice.toErp`). Tenants adjust them with overlays. */
export const defaultMappings: Readonly<Record<string, MappingDefinition>> = Object.fromEntries(
  [...netsuiteMappings, ...businessCentralMappings, ...sapMappings, ...workdayMappings, ...oracleFusionMappings].map((m) => [m.id, m]),
);

export function findDefaultMapping(erp: string, object: string, direction: string): MappingDefinition | undefined {
  const mapping = defaultMappings[`${erp}.${object}.${direction}`];
  return mapping !== undefined && Object.prototype.hasOwnProperty.call(defaultMappings, mapping.id) ? mapping : undefined;
}

export function listDefaultMappings(filter: { erp?: ErpId; object?: string } = {}): MappingDefinition[] {
  return Object.values(defaultMappings).filter((m) => (filter.erp === undefined || m.erp === filter.erp) && (filter.object === undefined || m.object === filter.object));
}
