// Runtime settings of the web app process (Next.js with the API and the gateway), in one place
// for `scripts/system.ts`, which starts it, and the shard-transfer bench, whose caller stands in
// for the gateway.
//
// The gateway allocates and drops a shard-sized buffer or three per request. A small young
// generation (4 MiB semi-spaces instead of V8's default of up to 32) frees that garbage in cheap
// scavenges and keeps V8 from starting a full mark whenever the old generation's headroom falls
// below the young generation's size (p2p/node/runtime-flags.ts, the same flag on storage nodes,
// measures that). At most two malloc arenas (glibc makes up to 8 per core) keep freed buffers
// from being held in many half-empty arenas. With 8 MiB semi-spaces and the arenas, a 256 MiB
// upload's gateway peak went from +181 to +114 MiB over baseline in `npm run bench -- vault`
// (+64 MiB in a later run); with 4 MiB it was +49 to +63 MiB (download +15 to +48) in five
// runs, the speed the same within this machine's run-to-run spread.
//
// The gateway's heap (Next.js, the API, the libp2p client: ~60 MiB live) then still ran a
// mark-compact every ~300 ms of a 256 MiB upload in `npm run bench -- vault`: V8 set the old
// generation's limit only ~10 % above the live heap, as it does when the allocation rate looks
// low next to its marking speed, and every full mark kept its background threads busy for
// about as long as the web app's own thread (`perf`: 2.9 of the web app's 7 CPU-s over an
// upload, on a machine whose two cores the whole system shares). A fixed growing factor of 1.5
// spaces those out (three runs with it): gateway CPU over the upload 6.7–6.8 → 4.2–5.2 s,
// over the download 4.5 → 3.2–3.7 s; upload 12.0–13.4 → 10.7–12.7 s, download 7.5–9.5 →
// 7.6–8.4 s; gateway peak +67 to +82 MiB over baseline (goal < 88).
// It suits this heap only: V8 picks a far larger factor for a small heap with a high
// allocation rate, and forcing 1.5 there made collections more frequent (a bare libp2p
// caller receiving 4 MiB shards, as the shard-transfer bench's is, or a storage node: twice
// the CPU per transfer; storage nodes get a factor of 3, p2p/node/runtime-flags.ts). Node
// refuses that V8 flag in NODE_OPTIONS, so it goes on the command line (`webAppNodeArgs`).

/** Node.js flags of the web app (allowed in NODE_OPTIONS, which is how Next gets them). */
export const WEB_APP_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=4"];

/** V8 flags of the web app that NODE_OPTIONS may not carry: given on its command line. */
export const WEB_APP_V8_FLAGS: readonly string[] = ["--heap-growing-percent=50"];

/**
 * Arguments for `node` running `script` (Next's command-line entry) with `args`. The V8 flags
 * go only to `next start`, the web app serving requests: `next build` and `next dev` start
 * workers whose NODE_OPTIONS Next fills from this process's flags, and there Node refuses them.
 */
export function webAppNodeArgs(script: string, args: readonly string[]): string[] {
	return [...(args[0] === "start" ? WEB_APP_V8_FLAGS : []), script, ...args];
}

/** Environment of the web app process; a NODE_OPTIONS or MALLOC_ARENA_MAX already set is kept. */
export function webAppRuntimeEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
	return {
		NODE_OPTIONS: [env.NODE_OPTIONS, ...WEB_APP_NODE_FLAGS].filter(Boolean).join(" "),
		MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? "2",
	};
}
