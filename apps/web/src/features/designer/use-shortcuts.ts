'use client';
import { useEffect, useRef } from 'react';
import { isEditableTarget } from './shortcuts';
import { rememberedClipboard } from './use-editing';

export interface ShortcutActions {
  undo: () => void;
  redo: () => void;
  save: () => void;
  copyText: () => string | null;
  cut: () => void;
  pasteText: (text: string) => void;
  duplicate: () => void;
  selectAll: () => void;
  clearSelection: () => void;
  layout: () => void;
  fit: () => void;
  focusPalette: () => void;
  toggleHelp: () => void;
  /** A modal view (the version diff) is open: leave the keys to it. */
  suspended: boolean;
}

/**
 * Keyboard shortcuts of the designer (listed in shortcuts.ts). Copy and paste go through the
 * browser's own clipboard events so the system clipboard carries graph JSON between tabs and
 * workflows; when the browser fires no paste event (no permission), the last copy made here is used.
 */
export function useShortcuts(actions: ShortcutActions): void {
  const ref = useRef(actions);
  useEffect(() => {
    ref.current = actions;
  });

  useEffect(() => {
    let lastCopy: { text: string; at: number } | null = null;
    let pasteTimer: ReturnType<typeof setTimeout> | null = null;

    const onKey = (e: KeyboardEvent) => {
      const a = ref.current;
      if (a.suspended) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        a.save();
        return;
      }
      if (isEditableTarget(e.target)) return;
      if (mod && !e.altKey) {
        if (key === 'z' && !e.shiftKey) a.undo();
        else if ((key === 'z' && e.shiftKey) || key === 'y') a.redo();
        else if (key === 'd') a.duplicate();
        else if (key === 'a') a.selectAll();
        else if (key === 'l' && e.shiftKey) a.layout();
        else if (key === 'c' || key === 'x') {
          // Not prevented: the browser's copy event follows and puts the text on the system clipboard.
          const text = a.copyText();
          if (text) lastCopy = { text, at: Date.now() };
          if (key === 'x' && text) a.cut();
          return;
        } else if (key === 'v') {
          if (pasteTimer) clearTimeout(pasteTimer);
          pasteTimer = setTimeout(() => {
            pasteTimer = null;
            ref.current.pasteText(rememberedClipboard());
          }, 120);
          return;
        } else return;
        e.preventDefault();
        return;
      }
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === '?') a.toggleHelp();
      else if (e.key === '/') a.focusPalette();
      else if (e.key === '!' || (e.shiftKey && e.code === 'Digit1')) a.fit();
      else if (e.key === 'Escape') a.clearSelection();
      else return;
      e.preventDefault();
    };

    const onCopy = (e: ClipboardEvent) => {
      if (!lastCopy || Date.now() - lastCopy.at > 1000 || isEditableTarget(e.target)) return;
      e.clipboardData?.setData('text/plain', lastCopy.text);
      e.preventDefault();
      lastCopy = null;
    };

    const onPaste = (e: ClipboardEvent) => {
      if (ref.current.suspended || isEditableTarget(e.target)) return;
      if (pasteTimer) {
        clearTimeout(pasteTimer);
        pasteTimer = null;
      }
      const text = e.clipboardData?.getData('text/plain') ?? '';
      e.preventDefault();
      ref.current.pasteText(text.trim() ? text : rememberedClipboard());
    };

    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
      if (pasteTimer) clearTimeout(pasteTimer);
    };
  }, []);
}
