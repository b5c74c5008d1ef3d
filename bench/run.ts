// `npm run bench [-- name…]`: runs every bench/*.bench.ts (or the named ones), adds each
// figure's ratio to its same-run reference, and writes bench/results/latest.json plus a
// Markdown table beside it. Never part of `npm test`.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchFigure, BenchFile } from "./harness";

const here = import.meta.dirname;
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const files = readdirSync(here)
	.filter((file) => file.endsWith(".bench.ts"))
	.filter((file) => wanted.length === 0 || wanted.includes(file.replace(/\.bench\.ts$/, "")))
	.sort();
if (files.length === 0) {
	console.error(
		`No benchmark matches ${wanted.join(", ")}. Available: ${readdirSync(here)
			.filter((f) => f.endsWith(".bench.ts"))
			.join(", ")}`,
	);
	process.exit(2);
}

interface Row extends BenchFigure {
	file: string;
	ratio: number;
	meetsGoal: boolean;
}

/** ", 90 % interval 0.64–0.73×" for figures that carry one (see ./ratio-interval). */
function intervalText({ ratioInterval }: BenchFigure): string {
	if (!ratioInterval) return "";
	const { low, high, confidence } = ratioInterval;
	return `, ${Math.round(confidence * 100)} % interval ${low.toFixed(2)}–${high.toFixed(2)}×`;
}

const results: Row[] = [];
for (const file of files) {
	console.log(`▶ ${file}`);
	const module = (await import(pathToFileURL(join(here, file)).href)) as BenchFile;
	for (const figure of await module.default()) {
		const ratio = figure.value / figure.referenceValue;
		const meetsGoal = figure.higherIsBetter ? ratio >= figure.goal : ratio <= figure.goal;
		results.push({ ...figure, file, ratio, meetsGoal });
		console.log(
			`  ${figure.name}: ${figure.value.toFixed(2)} ${figure.unit} — ${ratio.toFixed(2)}× ${figure.reference}${intervalText(figure)} (goal ${figure.higherIsBetter ? "≥" : "≤"} ${figure.goal}×) ${meetsGoal ? "✓" : "✗"}`,
		);
	}
}

const machine = {
	node: process.version,
	platform: `${process.platform} ${process.arch}`,
	cpu: cpus()[0]?.model ?? "unknown",
	cores: cpus().length,
	memoryGiB: Math.round(totalmem() / 2 ** 30),
	date: new Date().toISOString(),
};
const outDir = join(here, "results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "latest.json"), `${JSON.stringify({ machine, results }, null, 2)}\n`);
const table = [
	`# Coffre benchmarks — ${machine.date}`,
	"",
	`${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`,
	"",
	"| benchmark | figure | value | reference | ratio | goal | met |",
	"| --- | --- | --- | --- | --- | --- | --- |",
	...results.map(
		(r) =>
			`| ${r.file} | ${r.name} | ${r.value.toFixed(2)} ${r.unit} | ${r.reference} (${r.referenceValue.toFixed(2)}) | ${r.ratio.toFixed(2)}×${intervalText(r)} | ${r.higherIsBetter ? "≥" : "≤"} ${r.goal}× | ${r.meetsGoal ? "yes" : "no"} |`,
	),
	"",
].join("\n");
writeFileSync(join(outDir, "latest.md"), table);
console.log(`\nWrote ${join("bench", "results", "latest.json")} and latest.md`);
