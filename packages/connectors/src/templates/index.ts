import { z } from 'zod';
import { invoiceSyncTemplate } from './invoice-sync';
import { orderToCashTemplate } from './order-to-cash';
import { procureToPayTemplate } from './procure-to-pay';
import { subscriptionBillingTemplate } from './subscription-billing';
import { subscriptionReconciliationTemplate } from './subscription-reconciliation';
import type { BuiltTemplate, WorkflowTemplate } from './types';

/** Every workflow template, in the order the gallery shows them. */
export const workflowTemplates: readonly WorkflowTemplate<never>[] = [
  invoiceSyncTemplate,
  orderToCashTemplate,
  subscriptionBillingTemplate,
  subscriptionReconciliationTemplate,
  procureToPayTemplate,
] as unknown as readonly WorkflowTemplate<never>[];

export interface TemplateSummary {
  id: string;
  name: string;
  description: string;
  erps: readonly string[];
  connections: readonly string[];
  /** JSON Schema of the parameters, for the instantiate form. */
  parameters: unknown;
}

export function listTemplates(): TemplateSummary[] {
  return workflowTemplates.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    erps: t.erps,
    connections: t.connections,
    parameters: z.toJSONSchema(t.parameters, { io: 'input', unrepresentable: 'any' }),
  }));
}

export function findTemplate(id: string): WorkflowTemplate<unknown> | undefined {
  return workflowTemplates.find((t) => t.id === id) as WorkflowTemplate<unknown> | undefined;
}

export type InstantiateResult = { ok: true; built: BuiltTemplate } | { ok: false; issues: Array<{ path: string; message: string }> };

/** Checks the parameters (field-level issues) and builds the graph. */
export function instantiateTemplate(id: string, params: unknown): InstantiateResult {
  const template = findTemplate(id);
  if (!template) return { ok: false, issues: [{ path: 'templateId', message: `there is no template ${JSON.stringify(id)}` }] };
  const parsed = template.parameters.safeParse(params);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: ['params', ...i.path.map(String)].join('.'), message: i.message })) };
  }
  return { ok: true, built: template.build(parsed.data) };
}

export { invoiceSyncTemplate, InvoiceSyncParamsSchema, type InvoiceSyncParams } from './invoice-sync';
export { orderToCashTemplate, OrderToCashParamsSchema, ORDER_TO_CASH_ERPS, type OrderToCashParams } from './order-to-cash';
export { subscriptionBillingTemplate, SubscriptionBillingParamsSchema, type SubscriptionBillingParams } from './subscription-billing';
export {
  subscriptionReconciliationTemplate,
  SubscriptionReconciliationParamsSchema,
  type SubscriptionReconciliationParams,
} from './subscription-reconciliation';
export { procureToPayTemplate, ProcureToPayParamsSchema, PROCURE_TO_PAY_ERPS, type ProcureToPayParams } from './procure-to-pay';
export { ERP_TARGETS, TEMPLATE_ERPS, effectiveOverlay, type TemplateErp } from './erp-targets';
export type { BuiltTemplate, WorkflowTemplate } from './types';
