// `npm test`: lint, type-check, unit + integration, then browser end-to-end.
// Every step runs even when an earlier one fails, so one run shows every problem;
// the exit code is non-zero when any step failed.
import { spawnSync } from "node:child_process";

const steps: { name: string; command: string[] }[] = [
	{ name: "lint", command: ["biome", "check", "."] },
	{ name: "type-check", command: ["tsc", "--noEmit", "-p", "tsconfig.json"] },
	{ name: "unit + integration", command: ["vitest", "run", "--project", "unit"] },
	{ name: "browser end-to-end", command: ["vitest", "run", "--project", "e2e"] },
];

const only = process.argv.slice(2);
const failed: string[] = [];
let passed = 0;
for (const step of steps) {
	if (only.length > 0 && !only.includes(step.name)) continue;
	console.log(`\n▶ ${step.name}: ${step.command.join(" ")}`);
	const [bin, ...args] = step.command as [string, ...string[]];
	const result = spawnSync(bin, args, { stdio: "inherit", shell: false });
	if (result.status === 0) passed++;
	else failed.push(step.name);
}
console.log(`\nsteps: ${passed} passed, ${failed.length} failed`);
if (failed.length > 0) {
	console.error(`failed: ${failed.join(", ")}`);
	process.exit(1);
}
