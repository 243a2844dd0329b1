import { validateGraph } from '@switchyard/workflow';
import { describe, expect, it } from 'vitest';
import { connectorKindRegistry } from '../../src/metadata';
import { instantiateTemplate, listTemplates, workflowTemplates } from '../../src/templates/index';

describe('workflow templates', () => {
  for (const template of workflowTemplates) {
    for (const erp of template.erps) {
      it(`${template.id} for ${erp} is a valid graph of known kinds`, () => {
        const result = instantiateTemplate(template.id, { erp, connectionId: 'erp', backOfficeConnectionId: 'back-office', procurementConnectionId: 'procurement' });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const validation = validateGraph(result.built.graph, connectorKindRegistry);
        expect(validation.ok ? [] : validation.errors).toEqual([]);
        expect(result.built.name).toContain(template.name);
      });
    }
  }

  it('lists the templates with their parameters as JSON Schema', () => {
    const list = listTemplates();
    expect(list.map((t) => t.id)).toEqual(['invoice-sync', 'order-to-cash', 'subscription-billing', 'subscription-reconciliation', 'procure-to-pay']);
    expect(list[0]?.parameters).toMatchObject({ type: 'object', required: expect.arrayContaining(['erp', 'connectionId']) });
  });

  it('names every bad parameter', () => {
    expect(instantiateTemplate('order-to-cash', { erp: 'workday', connectionId: '' })).toEqual({
      ok: false,
      issues: expect.arrayContaining([
        { path: 'params.erp', message: expect.stringContaining('Invalid option') },
        { path: 'params.connectionId', message: 'must name the ERP connection' },
        { path: 'params.backOfficeConnectionId', message: expect.stringContaining('') },
      ]),
    });
    expect(instantiateTemplate('nope', {})).toEqual({ ok: false, issues: [{ path: 'templateId', message: 'there is no template "nope"' }] });
  });
});
