/**
 * Runs once when the web server starts: makes sure a platform admin exists and prints how to sign
 * in (the email and, the first time, the generated password; or SWITCHYARD_ADMIN_EMAIL/PASSWORD).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || !process.env.DATABASE_URL) return;
  const { ensureFirstAdmin, getServerDatabase, signInInstructions } = await import('@switchyard/api');
  const result = await ensureFirstAdmin(await getServerDatabase());
  const port = process.env.SWITCHYARD_PUBLIC_PORT ?? process.env.PORT ?? '3000';
  process.stdout.write(`\n${signInInstructions(result, process.env.SWITCHYARD_PUBLIC_URL?.trim() || `http://localhost:${port}`)}\n\n`);
}
