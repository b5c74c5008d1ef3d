// Memory and CPU time of child processes read from /proc (Linux only), for benchmarks that
// measure the browser and the web server while a transfer runs: find a process tree by command
// line, sum its proportional (PSS) or resident (RSS) set size and sample the peak above a
// baseline, or sum its CPU time. It only reads /proc; it never signals or changes a process.
import { readdir, readFile } from "node:fs/promises";

/** Which per-process figure to sum: PSS shares pages fairly between processes, RSS counts them in each. */
export type MemoryKind = "pss" | "rss";

interface ProcessEntry {
	pid: number;
	parent: number;
	command: string;
}

async function readProcessEntry(pid: number): Promise<ProcessEntry | null> {
	try {
		const stat = await readFile(`/proc/${pid}/stat`, "utf8");
		// The command name in parentheses may itself hold spaces or parentheses: parse after the last ")".
		const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
		const command = (await readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ");
		return { pid, parent, command };
	} catch {
		return null; // exited meanwhile
	}
}

async function allProcesses(): Promise<ProcessEntry[]> {
	const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name)).map(Number);
	return (await Promise.all(pids.map(readProcessEntry))).filter((entry) => entry !== null);
}

/**
 * The pids of every descendant of `ancestor` whose command line matches `command`, with all of
 * their own descendants (a browser's renderers and utilities, a server's workers).
 */
export async function processTrees(ancestor: number, command: RegExp): Promise<number[]> {
	const entries = await allProcesses();
	const children = new Map<number, number[]>();
	for (const { pid, parent } of entries)
		children.set(parent, [...(children.get(parent) ?? []), pid]);
	const byPid = new Map(entries.map((entry) => [entry.pid, entry]));
	const found = new Set<number>();
	const walk = (pid: number, inside: boolean) => {
		const here = inside || command.test(byPid.get(pid)?.command ?? "");
		if (here) found.add(pid);
		for (const child of children.get(pid) ?? []) walk(child, here);
	};
	for (const child of children.get(ancestor) ?? []) walk(child, false);
	return [...found];
}

/** The command line of `pid`, or "" once it has exited. */
export async function commandOf(pid: number): Promise<string> {
	return (await readProcessEntry(pid))?.command ?? "";
}

/** User + system CPU seconds used so far by `pids` (those still running). */
export async function cpuSeconds(pids: number[]): Promise<number> {
	const ticks = await Promise.all(
		pids.map(async (pid) => {
			try {
				const stat = await readFile(`/proc/${pid}/stat`, "utf8");
				// Fields 14 and 15 (utime, stime), counted after the ")" that ends field 2.
				const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
				return Number(fields[11]) + Number(fields[12]);
			} catch {
				return 0;
			}
		}),
	);
	// USER_HZ is 100 on every Linux architecture Node supports.
	return ticks.reduce((sum, t) => sum + t, 0) / 100;
}

/**
 * CPU seconds used so far by every thread of `pids`, summed by where it runs: the process's kind
 * (a Chromium `--type`, or its program's name) and the thread's name without its number
 * ("renderer/DedicatedWorker", "browser/Chrome_IOThread"). The CPU of threads that ended (a
 * Web Worker closed with its transfer) is counted under "<kind>/(ended threads)": a process's
 * own figure keeps it, its live threads' do not.
 */
export async function threadCpuSeconds(pids: number[]): Promise<Map<string, number>> {
	const totals = new Map<string, number>();
	await Promise.all(
		pids.map(async (pid) => {
			const command = await commandOf(pid);
			const kind =
				/--type=(\S+)/.exec(command)?.[1] ??
				(/^\S*chromium\b/.test(command)
					? "browser"
					: (command.split(" ")[0]?.split("/").pop() ?? "?"));
			const sub = /--utility-sub-type=(?:[\w]+\.)*(\w+)/.exec(command)?.[1];
			const place = `${kind}${sub ? `(${sub})` : ""}`;
			let tids: string[];
			try {
				tids = await readdir(`/proc/${pid}/task`);
			} catch {
				return;
			}
			let unaccounted = await cpuSeconds([pid]);
			const add = (label: string, seconds: number) =>
				totals.set(label, (totals.get(label) ?? 0) + seconds);
			for (const tid of tids) {
				try {
					const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, "utf8");
					const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
					const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
					const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
					// A Chromium process's main thread carries the program's name.
					const thread = name === "chromium" ? "main" : name.replace(/[\d/]+$/, "").trim();
					add(`${place}/${thread}`, seconds);
					unaccounted -= seconds;
				} catch {
					// the thread ended meanwhile
				}
			}
			add(`${place}/(ended threads)`, Math.max(0, unaccounted));
		}),
	);
	return totals;
}

/**
 * The `count` places (see threadCpuSeconds) that used the most CPU between two readings, as
 * "place seconds" text.
 */
export function busiestThreads(
	before: Map<string, number>,
	after: Map<string, number>,
	count: number,
): string {
	return [...after]
		.map(([label, seconds]) => [label, seconds - (before.get(label) ?? 0)] as const)
		.filter(([, seconds]) => seconds >= 0.05)
		.sort((a, b) => b[1] - a[1])
		.slice(0, count)
		.map(([label, seconds]) => `${label} ${seconds.toFixed(1)}`)
		.join(", ");
}

/** CPU seconds the whole machine spent busy (all cores, everything but idle and I/O wait). */
export async function machineBusySeconds(): Promise<number> {
	const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
	// cpu user nice system idle iowait irq softirq steal …
	const [, user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).map(Number);
	return [user, nice, system, irq, softirq, steal].reduce<number>((a, b) => a + (b ?? 0), 0) / 100;
}

/** PSS (from smaps_rollup) or RSS (from status) of one process in bytes; 0 once it has exited. */
async function processBytes(pid: number, kind: MemoryKind): Promise<number> {
	try {
		const text =
			kind === "pss"
				? await readFile(`/proc/${pid}/smaps_rollup`, "utf8")
				: await readFile(`/proc/${pid}/status`, "utf8");
		const match = (kind === "pss" ? /^Pss:\s+(\d+) kB/m : /^VmRSS:\s+(\d+) kB/m).exec(text);
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

/** Memory of each process in bytes, by pid. */
export async function memoryByProcess(
	pids: number[],
	kind: MemoryKind,
): Promise<Map<number, number>> {
	const sizes = await Promise.all(pids.map((pid) => processBytes(pid, kind)));
	return new Map(pids.map((pid, i) => [pid, sizes[i] as number]));
}

/** How often a watched group's processes are looked up again (a /proc scan is not free). */
const RESCAN_MS = 2_000;

/** A group of processes to watch, looked up again every RESCAN_MS so new renderers count too. */
export interface WatchedGroup {
	name: string;
	kind: MemoryKind;
	pids: () => Promise<number[]>;
}

export interface MemoryPeak {
	name: string;
	kind: MemoryKind;
	/** Sum before the watched work started, in bytes. */
	baseline: number;
	/** Highest sum seen while it ran, in bytes. */
	peak: number;
	/**
	 * Per-process memory at the peak, in bytes, with each process's command line and its own
	 * baseline (0 for a process started after the work began).
	 */
	atPeak: { pid: number; command: string; bytes: number; baseline: number }[];
	samples: number;
}

async function groupSample(group: WatchedGroup, pids: number[]) {
	const byPid = await memoryByProcess(pids, group.kind);
	let total = 0;
	for (const bytes of byPid.values()) total += bytes;
	return { total, byPid };
}

/**
 * Runs `work` while sampling every group every `intervalMs`; returns the work's result and each
 * group's baseline (sampled just before) and peak.
 */
export async function samplePeakMemory<T>(
	groups: WatchedGroup[],
	work: () => Promise<T>,
	intervalMs = 200,
): Promise<{ result: T; peaks: MemoryPeak[] }> {
	const peaks = await Promise.all(
		groups.map(async (group) => {
			const pids = await group.pids();
			const { total, byPid } = await groupSample(group, pids);
			return {
				group,
				pids,
				scannedAt: performance.now(),
				baseline: total,
				baselineByPid: byPid,
				peak: total,
				atPeakByPid: new Map<number, number>(),
				n: 0,
			};
		}),
	);
	let running = true;
	const sampler = (async () => {
		while (running) {
			await Promise.all(
				peaks.map(async (state) => {
					if (performance.now() - state.scannedAt > RESCAN_MS) {
						state.pids = await state.group.pids();
						state.scannedAt = performance.now();
					}
					const { total, byPid } = await groupSample(state.group, state.pids);
					state.n++;
					if (total > state.peak) {
						state.peak = total;
						state.atPeakByPid = byPid;
					}
				}),
			);
			await new Promise((resolve) => setTimeout(resolve, intervalMs));
		}
	})();
	try {
		const result = await work();
		return {
			result,
			peaks: await Promise.all(
				peaks.map(async (state) => ({
					name: state.group.name,
					kind: state.group.kind,
					baseline: state.baseline,
					peak: state.peak,
					samples: state.n,
					atPeak: await Promise.all(
						[...state.atPeakByPid].map(async ([pid, bytes]) => ({
							pid,
							bytes,
							baseline: state.baselineByPid.get(pid) ?? 0,
							command: await commandOf(pid),
						})),
					),
				})),
			),
		};
	} finally {
		running = false;
		await sampler;
	}
}
