'use client';
import { useState } from 'react';
import styles from './json-view.module.css';

/** Pretty JSON in a bounded, scrollable block, with copy. Strings render as text, never as HTML. */
export function JsonView({ value, testId, empty = 'nothing' }: { value: unknown; testId?: string; empty?: string }) {
  const [copied, setCopied] = useState(false);
  if (value === undefined || value === null) return <div className={`${styles.empty} faint`} data-testid={testId}>{empty}</div>;
  const text = safeStringify(value);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    } catch {
      // Clipboard access denied (insecure origin): the text is still selectable.
    }
  };
  return (
    <div className={styles.wrap}>
      <pre className={styles.pre} data-testid={testId}>
        {text}
      </pre>
      <button type="button" className={`btn btn-sm ${styles.copy}`} onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
