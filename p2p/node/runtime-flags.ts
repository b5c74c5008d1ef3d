// The Node.js flags a storage node process runs with: the `coffre-node` launcher's first line
// (bin/coffre-node.js, checked against this list by a test), the local network's children and
// the transfer bench's node all use this one list.
//
// A node streams shards through short-lived buffers (transport messages, write pieces). With
// V8's default young generation (semi-spaces grow to 16–32 MiB here) the old generation's
// headroom is soon smaller than the young generation, which V8 takes as its cue to start a
// full mark of the heap: it then ran a mark-compact about every 4 MiB shard, and its
// concurrent marking threads took ~40 % of the node's CPU. With 4 MiB semi-spaces the same
// garbage dies in cheap scavenges instead: 2 mark-compacts instead of 19–32 over 66 transfers,
// and the node's CPU per 4 MiB put fell from ~35 ms to ~18 ms on the benchmark machine.
//
// V8 also sizes the old generation's limit by how fast the heap fills: under a stream of
// transfers it leaves room for a few times the live heap, but a node that gets shards at a
// gentler pace (six nodes sharing a vault upload) was given ~10 % and ran a full mark every
// second or so, its background marking and sweeping threads taking about a third of its CPU
// (`perf` over the vault bench). A fixed growing factor of 3 (`--heap-growing-percent=200`)
// gives it the room V8 gives a busy node: the six nodes' CPU over a 256 MiB upload fell from
// 7.6–9.0 to 5.6 s, over the download from 4.2–4.8 to 2.2–2.3 s (two runs), while the
// shard-transfer bench, where V8 already chose that much, kept its 2–3 collections and its
// speed; a node's resident memory after 600 1 MiB transfers stayed ~150 MB. (A factor of
// 1.5, as the web app has, doubled the CPU per transfer there: it is below V8's own choice.)

/** Node.js command-line flags of every storage node process. */
export const STORAGE_NODE_FLAGS: readonly string[] = [
	"--max-semi-space-size=4",
	"--heap-growing-percent=200",
];
