'use client';
import { useEffect, useRef } from 'react';
import { isMac, keyLabel, SHORTCUT_GROUPS } from './shortcuts';
import styles from './designer.module.css';

/** The keyboard shortcuts, as a popover anchored to the canvas toolbar's "?" button. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const mac = isMac();
  useEffect(() => {
    ref.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node) && !(e.target as HTMLElement).closest('[data-testid="shortcuts-help"]')) onClose();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  return (
    <div ref={ref} className={styles.popover} role="dialog" aria-label="Keyboard shortcuts" tabIndex={-1} data-testid="shortcuts-popover">
      <div className={styles.popoverHead}>
        <strong>Keyboard shortcuts</strong>
        <button type="button" className="btn btn-ghost btn-sm" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </div>
      {SHORTCUT_GROUPS.map((group) => (
        <section key={group.title}>
          <h4 className={styles.popoverTitle}>{group.title}</h4>
          <dl className={styles.shortcutList}>
            {group.shortcuts.map((s) => (
              <div key={s.action} className={styles.shortcut}>
                <dt>
                  {s.keys.map((k, i) => (
                    <kbd key={i}>{keyLabel(k, mac)}</kbd>
                  ))}
                </dt>
                <dd>{s.action}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
