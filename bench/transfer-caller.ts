// The caller of the shard-transfer bench (bench/transfer.ts) in a process of its own, started
// with the web app's Node.js flags as the gateway runs: measures put, get and the plain
// references against a storage node in yet another process, and prints them as one JSON line.
// Not a benchmark itself (its name does not end in .bench.ts).
import { measureTransferRates } from "./transfer";

const rates = await measureTransferRates();
console.log(JSON.stringify(rates));
// libp2p may leave timers behind after stop; the measurement is done.
process.exit(0);
