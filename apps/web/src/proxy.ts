import { NextResponse, type NextRequest } from 'next/server';

/**
 * Sends a browser without a session cookie to the sign-in page. This is only the optimistic check
 * (it looks at the cookie's presence): every tRPC procedure and route handler checks the session and
 * the role on the server. API routes answer for themselves (401/403 or signature/API-key auth).
 */
const SESSION_COOKIES = ['switchyard.session_token', '__Secure-switchyard.session_token'];

export function proxy(request: NextRequest) {
  if (SESSION_COOKIES.some((name) => request.cookies.has(name))) return NextResponse.next();
  const url = request.nextUrl.clone();
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  url.pathname = '/sign-in';
  url.search = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Pages only: not the sign-in page itself, API routes, Next's assets or the icon.
  matcher: ['/((?!sign-in|api/|_next/|icon.svg|favicon.ico).*)'],
};
