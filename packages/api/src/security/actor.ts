/**
 * Who is acting, as the audit log records it. There is no sign-in yet, so every tRPC caller is
 * `anonymous`; machine clients are `api-key:<prefix>`. Sign-in will replace `actorOf` with the session user.
 */
export const ANONYMOUS_ACTOR = 'anonymous';

export function actorOf(_ctx: unknown): string {
  return ANONYMOUS_ACTOR;
}

export function apiKeyActor(prefix: string): string {
  return `api-key:${prefix}`;
}
