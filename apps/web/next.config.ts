import type { NextConfig } from 'next';

// Internal packages ship TypeScript source (their exports point at src/*.ts), so Next compiles them.
const internalPackages = ['@switchyard/api', '@switchyard/workflow', '@switchyard/connectors', '@switchyard/db'];

// Native / driver packages must stay real Node requires: bundling breaks pg's optional natives and
// Prisma's runtime, and PGlite ships WASM that it loads from its own folder.
const serverExternals = ['pg', '@prisma/client', '@prisma/adapter-pg', '@electric-sql/pglite'];

const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // The designer must never be framed by another origin (clickjacking); the legacy header covers old browsers.
  { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
  { key: 'X-Frame-Options', value: 'DENY' },
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: internalPackages,
  serverExternalPackages: serverExternals,
  async redirects() {
    // A config redirect answers with a real 307 before any rendering (a page-level redirect() would stream first).
    return [{ source: '/', destination: '/workflows', permanent: false }];
  },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
