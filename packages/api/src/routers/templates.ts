import { listTemplates } from '@switchyard/connectors';
import { tenantAdminProcedure, tenantProcedure } from '../trpc';
import { instantiateHandler, instantiateInput } from './templates/instantiate.handler';

/** Workflow templates (invoice sync, order to cash, …) and turning one into a tenant's draft. */
export const templatesRouter = {
  list: tenantProcedure.query(() => listTemplates()),
  instantiate: tenantAdminProcedure.input(instantiateInput).mutation(instantiateHandler),
};
