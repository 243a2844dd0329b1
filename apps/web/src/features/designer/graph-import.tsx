'use client';
import type { Graph } from '@switchyard/workflow';
import { useCallback, useRef, useState } from 'react';
import { useToast } from '@/components/toast';
import { fileTooLarge, graphFileName, graphFileText, readGraphJson, replaceGraphOperation, type FileProblem } from './graph-file';
import { registry } from './kinds';
import type { Dispatch } from './use-graph-history';
import styles from './designer.module.css';

/**
 * Export downloads the draft as graph JSON; import reads a file, checks it (graph-file.ts) and
 * replaces the draft in one undoable step, or lists what is wrong and changes nothing.
 */
export function useGraphImport({ getGraph, dispatch, workflowName, onImported }: { getGraph: () => Graph; dispatch: Dispatch; workflowName: string; onImported: () => void }) {
  const toast = useToast();
  const inputRef = useRef<HTMLInputElement>(null);
  const [problems, setProblems] = useState<{ file: string; list: FileProblem[] } | null>(null);

  const exportGraph = useCallback(() => {
    const blob = new Blob([graphFileText(getGraph())], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = graphFileName(workflowName);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }, [getGraph, workflowName]);

  const importFile = useCallback(
    async (file: File) => {
      // The size is checked before reading: a 50 MB file is refused without loading it.
      const tooLarge = fileTooLarge(file.size);
      if (tooLarge) {
        setProblems({ file: file.name, list: [tooLarge] });
        return;
      }
      const result = readGraphJson(await file.text(), registry);
      if (!result.ok) {
        setProblems({ file: file.name, list: result.problems });
        return;
      }
      const error = dispatch([replaceGraphOperation(getGraph(), result.graph)]);
      if (error) {
        setProblems({ file: file.name, list: [{ path: '', message: error }] });
        return;
      }
      setProblems(null);
      onImported();
      toast(`Imported ${result.graph.nodes.length} node${result.graph.nodes.length === 1 ? '' : 's'} from ${file.name} (undo restores the previous draft)`, 'success');
    },
    [dispatch, getGraph, onImported, toast],
  );

  const input = (
    <input
      ref={inputRef}
      type="file"
      accept="application/json,.json"
      className="visually-hidden"
      data-testid="import-file"
      aria-label="Graph JSON file to import"
      tabIndex={-1}
      onChange={(e) => {
        const file = e.target.files?.[0];
        e.target.value = '';
        if (file) void importFile(file);
      }}
    />
  );

  return { exportGraph, openImport: () => inputRef.current?.click(), input, problems, dismissProblems: () => setProblems(null) };
}

export function ImportProblems({ file, problems, onClose }: { file: string; problems: readonly FileProblem[]; onClose: () => void }) {
  return (
    <div className={`banner banner-error ${styles.importProblems}`} role="alert" data-testid="import-errors">
      <div className="row">
        <strong>
          {file} was not imported; the draft is unchanged.
        </strong>
        <button type="button" className="btn btn-ghost btn-sm" data-testid="import-errors-close" onClick={onClose} aria-label="Dismiss">
          ✕
        </button>
      </div>
      <ul>
        {problems.map((p, i) => (
          <li key={i} data-testid="import-error">
            {p.path && <code>{p.path}</code>} {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
