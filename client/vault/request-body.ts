// The body of one shard upload request: some of a chunk's shards, taken from the chunk's
// spooled body (body-spool.ts, all n shards one after another) without copying. Each Blob the
// upload worker makes is also an entry in the browser's own process until the worker's next
// full collection frees the Blob, so as few are made as the request allows: none when the
// request sends the whole chunk (the usual case), one slice per run of consecutive shards
// otherwise.

/**
 * The shards `listed` (in that order) of `body`, which holds shards of `shardSize` bytes one
 * after another.
 */
export function requestBody(body: Blob, shardSize: number, listed: readonly number[]): Blob {
	const runs: [number, number][] = [];
	for (const shardIndex of listed) {
		const last = runs.at(-1);
		if (last && last[1] === shardIndex) last[1] = shardIndex + 1;
		else runs.push([shardIndex, shardIndex + 1]);
	}
	const [only] = runs;
	if (runs.length === 1 && only && only[0] === 0 && only[1] * shardSize === body.size) return body;
	const slices = runs.map(([from, to]) => body.slice(from * shardSize, to * shardSize));
	return slices.length === 1 ? (slices[0] as Blob) : new Blob(slices);
}
