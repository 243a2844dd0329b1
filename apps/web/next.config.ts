import type { NextConfig } from 'next';

// Internal packages ship TypeScript source (their exports point at src/*.ts), so Next compiles them.
const internalPackages = ['@switchyard/api', '@switchyard/workflow', '@switchyard/connectors', '@switchyard/db'];

// Native / driver packages must stay real Node requires: bundling breaks pg's optional natives and
// Prisma's runtime, and PGlite ships WASM that it loads from its own folder.
const serverExternals = ['pg', '@prisma/client', '@prisma/adapter-pg', '@electric-sql/pglite'];

// Everything the pages load comes from this origin: no remote scripts, styles, fonts, frames or
// form targets. Next's App Router streams its payload in inline <script> tags (no nonce without a
// per-request proxy), and React Flow positions nodes with inline styles, so both keep 'unsafe-inline';
// 'unsafe-eval' only for the dev server's React Refresh. The designer must never be framed by another
// origin (clickjacking); X-Frame-Options covers browsers without CSP frame-ancestors.
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === 'development' ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
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
