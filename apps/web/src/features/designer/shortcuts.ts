/**
 * The designer's keyboard shortcuts: one list, used by the key handler's documentation (the help
 * popover) so what is shown is what works. `Mod` is Ctrl, or ⌘ on a Mac.
 */
export interface Shortcut {
  keys: readonly string[];
  action: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: readonly Shortcut[];
}

export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = [
  {
    title: 'Edit',
    shortcuts: [
      { keys: ['Mod', 'Z'], action: 'Undo' },
      { keys: ['Mod', 'Shift', 'Z'], action: 'Redo (also Mod Y)' },
      { keys: ['Mod', 'C'], action: 'Copy the selected nodes (as graph JSON)' },
      { keys: ['Mod', 'X'], action: 'Cut' },
      { keys: ['Mod', 'V'], action: 'Paste (also from another workflow)' },
      { keys: ['Mod', 'D'], action: 'Duplicate the selection' },
      { keys: ['Delete'], action: 'Delete the selection (also Backspace)' },
      { keys: ['Mod', 'S'], action: 'Save the draft' },
    ],
  },
  {
    title: 'Select and arrange',
    shortcuts: [
      { keys: ['Shift', 'Click'], action: 'Add a node to the selection' },
      { keys: ['Shift', 'Drag'], action: 'Select with a box' },
      { keys: ['Mod', 'A'], action: 'Select everything' },
      { keys: ['Esc'], action: 'Clear the selection' },
      { keys: ['Mod', 'Shift', 'L'], action: 'Automatic layout' },
      { keys: ['Shift', '1'], action: 'Zoom to fit' },
      { keys: ['Arrows'], action: 'Move the focused node' },
    ],
  },
  {
    title: 'Find your way',
    shortcuts: [
      { keys: ['/'], action: 'Search the palette' },
      { keys: ['↑', '↓'], action: 'Move through the palette; Enter adds the kind' },
      { keys: ['?'], action: 'Show these shortcuts' },
    ],
  },
];

export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
}

export function keyLabel(key: string, mac: boolean): string {
  if (key === 'Mod') return mac ? '⌘' : 'Ctrl';
  if (key === 'Shift' && mac) return '⇧';
  return key;
}

/** Typing in a field keeps the browser's own meaning of these keys (undo text, paste text, …). */
export function isEditableTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}
