#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=200
// Launcher of the `coffre-node` command: registers tsx so Node runs the TypeScript sources,
// then starts the CLI entry. Plain JavaScript so it runs without a build step. The first line
// carries the node process's Node.js flags (p2p/node/runtime-flags.ts says why).
import { register } from "tsx/esm/api";

register();
await import("../p2p/cli/entry.ts");
