import type { Graph } from '@switchyard/workflow';

/**
 * A copy of the unsaved draft in the browser's localStorage, written on every edit. Autosave is
 * debounced, so a reload (or a crash) inside the debounce window would otherwise lose the last
 * edits. The copy remembers the revision it was based on: restored on the next load, it is saved
 * with that revision as `expectedRevision`, so if someone else saved in between the server answers
 * CONFLICT and the designer shows it instead of overwriting their change.
 */
export interface DraftBackup {
  graph: Graph;
  baseRevision: number;
  savedAt: number;
}

const PREFIX = 'switchyard.draft-backup.';

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    // Storage can be disabled (privacy settings): autosave still works, only the reload safety net is gone.
    return null;
  }
}

export function readBackup(workflowId: string): DraftBackup | null {
  const raw = storage()?.getItem(PREFIX + workflowId);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<DraftBackup>;
    if (!parsed.graph || typeof parsed.baseRevision !== 'number') return null;
    return { graph: parsed.graph, baseRevision: parsed.baseRevision, savedAt: parsed.savedAt ?? 0 };
  } catch {
    return null;
  }
}

/** `graphJson` is passed in already serialised: the designer computes it once per edit anyway. */
export function writeBackup(workflowId: string, graphJson: string, baseRevision: number): void {
  try {
    storage()?.setItem(PREFIX + workflowId, `{"baseRevision":${baseRevision},"savedAt":${Date.now()},"graph":${graphJson}}`);
  } catch {
    // Quota exceeded: the server copy is still saved by autosave a moment later.
  }
}

export function clearBackup(workflowId: string): void {
  storage()?.removeItem(PREFIX + workflowId);
}
