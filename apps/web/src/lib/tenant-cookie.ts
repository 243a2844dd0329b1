/** Where the selected tenant is remembered: a cookie (read by the server layout) mirrored in localStorage. */
export const TENANT_COOKIE = 'switchyard-tenant';
export const TENANT_HEADER = 'x-switchyard-tenant';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Cookie values come from the browser: only a well-formed slug is trusted as a hint. */
export function parseTenantSlug(value: string | undefined | null): string | null {
  if (!value) return null;
  const slug = decodeURIComponent(value).trim();
  return SLUG.test(slug) ? slug : null;
}

export function rememberTenant(slug: string): void {
  document.cookie = `${TENANT_COOKIE}=${encodeURIComponent(slug)}; path=/; max-age=31536000; samesite=lax`;
  try {
    localStorage.setItem(TENANT_COOKIE, slug);
  } catch {
    // Private mode or disabled storage: the cookie alone is enough.
  }
}

export function recallTenant(): string | null {
  try {
    return parseTenantSlug(localStorage.getItem(TENANT_COOKIE));
  } catch {
    return null;
  }
}
