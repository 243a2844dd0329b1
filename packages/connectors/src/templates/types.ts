import type { Graph } from '@switchyard/workflow';
import type { z } from 'zod';
import type { TemplateErp } from './erp-targets';

export interface BuiltTemplate {
  name: string;
  description: string;
  graph: Graph;
  /** For batch templates: the schedule that starts the workflow (cron in the tenant's time zone, trigger payload). */
  schedule?: { cron: string; payload: Record<string, unknown> };
}

/**
 * A workflow template: a graph JSON builder over a few parameters (the ERP, the connections, the
 * tenant's mapping overlay). Instantiating one gives an ordinary draft the tenant can edit and publish.
 */
export interface WorkflowTemplate<Params = unknown> {
  id: string;
  name: string;
  description: string;
  erps: readonly TemplateErp[];
  /** Connections the template needs: the ERP's, `back-office` for billing, CRM and warehouse, `rest` for another API. */
  connections: ReadonlyArray<'erp' | 'back-office' | 'rest'>;
  /** The canonical objects whose tenant overlay (for the chosen ERP) the template bakes in. */
  mappingObjects(erp: TemplateErp): string[];
  parameters: z.ZodType<unknown, Params>;
  build(params: Params): BuiltTemplate;
}
