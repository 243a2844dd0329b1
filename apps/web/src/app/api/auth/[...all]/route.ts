import { authFor, getServerDatabase } from '@switchyard/api';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** better-auth's endpoints: sign-in/email, sign-out, get-session (sign-up is disabled). */
async function handler(req: Request): Promise<Response> {
  return authFor(await getServerDatabase()).handler(req);
}

export { handler as GET, handler as POST };
