'use client';
import styles from './designer.module.css';

interface CanvasToolbarProps {
  selectedNodes: number;
  selectedEdges: number;
  onLayout: () => void;
  onCopy: () => void;
  onPaste: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
  onImport: () => void;
  onExport: () => void;
  onHelp: () => void;
  helpOpen: boolean;
}

/** Editing actions over the canvas; each also has a keyboard shortcut (see the "?" popover). */
export function CanvasToolbar(p: CanvasToolbarProps) {
  const none = p.selectedNodes === 0;
  return (
    <div className={styles.canvasToolbar} role="toolbar" aria-label="Canvas tools">
      <button type="button" className="btn btn-sm" data-testid="auto-layout" onClick={p.onLayout} title="Automatic layout (Ctrl+Shift+L)">
        ⇶ Auto layout
      </button>
      <span className={styles.toolbarSep} aria-hidden />
      <button type="button" className="btn btn-sm" data-testid="copy-selection" onClick={p.onCopy} disabled={none} title="Copy (Ctrl+C)">
        Copy
      </button>
      <button type="button" className="btn btn-sm" data-testid="paste" onClick={p.onPaste} title="Paste (Ctrl+V)">
        Paste
      </button>
      <button type="button" className="btn btn-sm" data-testid="duplicate-selection" onClick={p.onDuplicate} disabled={none} title="Duplicate (Ctrl+D)">
        Duplicate
      </button>
      <button
        type="button"
        className="btn btn-sm btn-danger"
        data-testid="delete-selection"
        onClick={p.onDelete}
        disabled={none && p.selectedEdges === 0}
        title="Delete (Delete)"
      >
        Delete
      </button>
      {p.selectedNodes + p.selectedEdges > 1 && (
        <span className={styles.selectionCount} data-testid="selection-count">
          {p.selectedNodes} selected
        </span>
      )}
      <span className={styles.toolbarSep} aria-hidden />
      <button type="button" className="btn btn-sm" data-testid="import-graph" onClick={p.onImport} title="Replace the draft with a graph JSON file">
        Import
      </button>
      <button type="button" className="btn btn-sm" data-testid="export-graph" onClick={p.onExport} title="Download the draft as graph JSON">
        Export
      </button>
      <button
        type="button"
        className="btn btn-sm"
        data-testid="shortcuts-help"
        aria-expanded={p.helpOpen}
        onClick={p.onHelp}
        title="Keyboard shortcuts (?)"
        aria-label="Keyboard shortcuts"
      >
        ?
      </button>
    </div>
  );
}
