/**
 * Who is acting, as the audit log records it: `user:<email>` for a signed-in person,
 * `api-key:<prefix>` for a machine client. `anonymous` only appears for changes made by the system
 * itself outside any request (there is no anonymous tRPC access).
 */
export const ANONYMOUS_ACTOR = 'anonymous';

export function actorOf(ctx: unknown): string {
  const user = (ctx as { user?: { email?: unknown } | null } | null)?.user;
  return user && typeof user.email === 'string' ? `user:${user.email}` : ANONYMOUS_ACTOR;
}

export function apiKeyActor(prefix: string): string {
  return `api-key:${prefix}`;
}
