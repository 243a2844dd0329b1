/**
 * The credential values of one call, so they can be cut out of anything that leaves the connector
 * (error messages built from vendor answers that echo the request, URLs, token endpoint errors).
 * Tokens obtained during the call are added as they arrive.
 */
export class SecretSet {
  private readonly values = new Set<string>();

  constructor(credentials: Record<string, unknown> = {}) {
    for (const value of Object.values(credentials)) if (typeof value === 'string') this.add(value);
  }

  add(value: string): void {
    const trimmed = value.trim();
    // Very short values ("1", "ab") would redact ordinary words; real secrets are longer.
    if (trimmed.length < 4) return;
    this.values.add(trimmed);
    this.values.add(encodeURIComponent(trimmed));
    this.values.add(Buffer.from(trimmed).toString('base64'));
  }

  /** Adds `user:password` and its Basic-auth encoding. */
  addPair(user: string, password: string): void {
    this.add(`${user}:${password}`);
    this.add(password);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a value is replaced before any value it contains.
    for (const secret of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(secret).join('[redacted]');
    return out;
  }
}
