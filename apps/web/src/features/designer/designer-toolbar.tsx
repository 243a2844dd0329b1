'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useCan } from '@/lib/session';
import styles from './designer.module.css';

interface ToolbarProps {
  name: string;
  revision: number;
  dirty: boolean;
  saving: boolean;
  publishing: boolean;
  canUndo: boolean;
  canRedo: boolean;
  issueCount: number;
  activeVersion: number | null;
  onUndo: () => void;
  onRedo: () => void;
  onSave: () => void;
  onPublish: (note: string) => Promise<boolean>;
  onShowProblems: () => void;
}

export function DesignerToolbar(p: ToolbarProps) {
  const [note, setNote] = useState('');
  const canEdit = useCan('tenant_admin');
  const publishBlocked =
    p.issueCount > 0 ? `Fix ${p.issueCount} problem${p.issueCount === 1 ? '' : 's'} before publishing` : p.saving || p.publishing ? 'Saving…' : null;
  const problems = `${p.issueCount} problem${p.issueCount === 1 ? '' : 's'}`;

  return (
    <header className={styles.toolbar}>
      <div className={styles.title}>
        <Link href="/workflows" className={styles.back}>
          Workflows
        </Link>
        <span className="faint">/</span>
        <h1 className={styles.name} title={p.name}>
          {p.name}
        </h1>
        {p.activeVersion !== null ? <span className="pill pill-succeeded">v{p.activeVersion} live</span> : <span className="pill">draft</span>}
        <span className={styles.saveState} data-testid="save-status" data-dirty={p.dirty}>
          {p.saving ? 'Saving…' : p.dirty ? 'Unsaved changes · autosaving' : `Saved · revision ${p.revision}`}
        </span>
      </div>
      <div className={styles.actions}>
        {p.issueCount > 0 && (
          <button type="button" className={styles.blocked} data-testid="publish-disabled-reason" onClick={p.onShowProblems} title={`${publishBlocked ?? ''}: show them`}>
            ⚠ {problems} · publish blocked
          </button>
        )}
        <button type="button" className="btn btn-ghost btn-sm" onClick={p.onUndo} disabled={!p.canUndo} title="Undo (Ctrl+Z)" data-testid="undo">
          ↶ Undo
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={p.onRedo} disabled={!p.canRedo} title="Redo (Ctrl+Shift+Z)" data-testid="redo">
          ↷ Redo
        </button>
        {!canEdit && (
          <span className="pill" data-testid="read-only" title="Your role in this tenant cannot change workflows">
            Read only
          </span>
        )}
        {canEdit && (
        <button type="button" className="btn" onClick={p.onSave} disabled={p.saving} data-testid="save-draft" title="Drafts save themselves after each edit; this saves now (Ctrl+S)">
          Save draft
        </button>
        )}
        {canEdit && (
        <form
          className={styles.publish}
          onSubmit={async (e) => {
            e.preventDefault();
            if (publishBlocked) return;
            if (await p.onPublish(note)) setNote('');
          }}
        >
          <input
            className="input"
            placeholder="Version note (optional)"
            aria-label="Version note"
            maxLength={500}
            data-testid="publish-note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <button type="submit" className="btn btn-primary" disabled={publishBlocked !== null} data-testid="publish" title={publishBlocked ?? 'Save and publish as a new version'}>
            {p.publishing ? 'Publishing…' : 'Publish'}
          </button>
        </form>
        )}
      </div>
    </header>
  );
}
