/**
 * Bounds of the group commit of pure steps (ExecuteRunParams.pureKinds): how many successful pure
 * steps may share one commit, and how long the first of them may wait for it. They bound the work
 * redone after a crash and how far run history lags behind a long chain of transforms.
 */
export const PURE_STEPS_PER_COMMIT = 64;
export const PURE_STEPS_MAX_DEFER_MS = 50;
