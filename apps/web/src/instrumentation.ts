/**
 * Runs once when the web server starts: makes sure a platform admin exists and prints how to sign
 * in (the email and, the first time, the generated password; or SWITCHYARD_ADMIN_EMAIL/PASSWORD).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || !process.env.DATABASE_URL) return;
  const { bootstrapFirstAdmin } = await import('@switchyard/api');
  process.stdout.write(`\n${await bootstrapFirstAdmin()}\n\n`);
}
