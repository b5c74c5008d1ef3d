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

/** Node.js command-line flags of every storage node process. */
export const STORAGE_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=4"];
