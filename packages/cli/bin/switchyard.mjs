#!/usr/bin/env node
// The `switchyard` command: the workspace runs TypeScript sources through tsx, so register it first.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
