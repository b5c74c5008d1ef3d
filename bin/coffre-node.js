#!/usr/bin/env node
// Launcher of the `coffre-node` command: registers tsx so Node runs the TypeScript sources,
// then starts the CLI entry. Plain JavaScript so it runs without a build step.
import { register } from "tsx/esm/api";

register();
await import("../p2p/cli/entry.ts");
