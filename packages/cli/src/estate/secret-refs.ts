// Names of the environment variables an export refers secrets to. They are derived from natural
// keys, so the same estate always exports the same names: `ACME_NETSUITE_TOKEN_SECRET` for the
// `tokenSecret` credential of acme's connection "NetSuite", `ACME_INVOICE_SYNC_SIGNING_SECRET` for
// the newest signing secret of acme's "Invoice sync" (the previous one during a rotation ends `_2`).

function envPart(text: string): string {
  return (
    text
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'X'
  );
}

const envName = (...parts: string[]) => {
  const name = parts.map(envPart).join('_');
  return /^[0-9]/.test(name) ? `S_${name}` : name;
};

export const credentialRef = (tenant: string, connection: string, field: string) => envName(tenant, connection, field);

export const signingSecretRef = (tenant: string, workflow: string, index: number) =>
  envName(tenant, workflow, 'signing secret') + (index === 0 ? '' : `_${index + 1}`);
