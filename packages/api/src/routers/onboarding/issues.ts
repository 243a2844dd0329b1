/** A problem with the wizard's input, named by field (`profile.slug`, `lookups.taxCodes.US-CA`), in words. */
export interface Issue {
  field: string;
  message: string;
}

export const WIZARD_STEPS = ['profile', 'systems', 'mappings', 'policies', 'workflows', 'review'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** A step's save: saved (and the step the wizard may move to), or the issues and the step that must fix them. */
export type StepResult = { ok: true } | { ok: false; step: WizardStep; issues: Issue[] };

export type StepFailure = Extract<StepResult, { ok: false }>;

export function failed(step: WizardStep, issues: Issue[]): StepFailure {
  return { ok: false, step, issues };
}
