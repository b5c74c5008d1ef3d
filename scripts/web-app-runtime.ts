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

/** Node.js flags of the web app (allowed in NODE_OPTIONS, which is how Next gets them). */
export const WEB_APP_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=4"];

/** Environment of the web app process; a NODE_OPTIONS or MALLOC_ARENA_MAX already set is kept. */
export function webAppRuntimeEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
	return {
		NODE_OPTIONS: [env.NODE_OPTIONS, ...WEB_APP_NODE_FLAGS].filter(Boolean).join(" "),
		MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? "2",
	};
}
