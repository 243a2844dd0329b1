import { z } from 'zod';

/**
 * On the embedded demo, the host starts the ERP simulators on ports it picks and passes their
 * addresses and account settings (never credentials) in SWITCHYARD_DEMO_CONNECTIONS, so the wizard
 * can prefill the base URL and settings of each system: the "sensible defaults" that take a new
 * tenant live in a few clicks. Elsewhere the wizard starts with empty forms.
 */
const DemoConnectionsSchema = z.record(z.string(), z.object({ baseUrl: z.string(), config: z.record(z.string(), z.unknown()) }));
export type DemoConnections = z.infer<typeof DemoConnectionsSchema>;

export const DEMO_CONNECTIONS_ENV = 'SWITCHYARD_DEMO_CONNECTIONS';

export function demoDefaults(env: Record<string, string | undefined> = process.env): DemoConnections | null {
  const raw = env[DEMO_CONNECTIONS_ENV];
  if (!raw) return null;
  try {
    const parsed = DemoConnectionsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
