'use client';
import { useState, type FormEvent } from 'react';
import styles from './users.module.css';

export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: String(form.get('email') ?? '').trim(), password: String(form.get('password') ?? '') }),
      });
      if (res.ok) {
        // A full load, so the server layout renders with the new session.
        window.location.assign(next);
        return;
      }
      setError(
        res.status === 401
          ? 'Wrong email or password.'
          : res.status === 429
            ? 'Too many attempts: wait a minute and try again.'
            : `Sign-in failed (${res.status}). Try again.`,
      );
    } catch {
      setError('The server did not answer. Check that Switchyard is running.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={styles.signInPage}>
      <form className={styles.signInCard} onSubmit={submit} aria-label="Sign in">
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden>
            ⇄
          </span>
          Switchyard
        </div>
        <h1 className={styles.title}>Sign in</h1>
        <label className={styles.field}>
          <span>Email</span>
          <input className="input" name="email" type="email" autoComplete="username" required autoFocus data-testid="sign-in-email" />
        </label>
        <label className={styles.field}>
          <span>Password</span>
          <input className="input" name="password" type="password" autoComplete="current-password" required data-testid="sign-in-password" />
        </label>
        {error && (
          <div className="banner banner-error" role="alert" data-testid="sign-in-error">
            {error}
          </div>
        )}
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="sign-in-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className={styles.hint}>Accounts are created by an administrator. The first admin&apos;s password is printed when Switchyard starts.</p>
      </form>
    </div>
  );
}
