'use client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@switchyard/api';

// Type-only import: the router's types reach the browser, its code (and the database) never does.
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
