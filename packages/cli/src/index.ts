// @switchyard/cli: configuration as code (`switchyard export | plan | apply`).
export { exportEstate, planFromDir, applyFromDir, type PlanResult } from './estate/commands';
export { applyEstate, APPLY_ACTOR, type ApplyResult } from './estate/apply';
export { readEstate, writeEstate, stableJson } from './estate/files';
export { formatErrors, formatPlan } from './estate/format';
export type { Change, FieldChange, Plan } from './estate/plan';
export type { EstateError } from './estate/model';
