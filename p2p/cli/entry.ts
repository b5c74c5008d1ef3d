// Process entry of `coffre-node` (loaded by bin/coffre-node.js): runs the CLI with the real
// argv, signals and console, and exits with its code.
import { main } from "./main";

process.exitCode = await main(process.argv.slice(2));
// libp2p may leave timers behind after stop; the command is done, so leave promptly.
setTimeout(() => process.exit(), 200).unref();
