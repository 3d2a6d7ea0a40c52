#!/usr/bin/env node
// The `fleetwave` command. The CLI is TypeScript run through tsx with no build
// step: importing `tsx` registers its ESM loader in this process (what
// `node --import tsx` does), then the entry point is loaded through it.
await import('tsx');
await import('../main.ts');
