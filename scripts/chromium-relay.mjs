#!/usr/bin/env node
// Stands in for Chromium where a driver talks DevTools over a pipe (Playwright launches with
// --remote-debugging-pipe: commands on fd 3, answers and events on fd 4): it starts the
// Chromium named by COFFRE_RELAY_CHROMIUM with the same arguments and passes every message
// through unchanged, except that each Network.enable asks DevTools to keep no request or
// response bodies. Benchmarks use it (scripts/headless-chromium.ts, keepNetworkBodies: false):
// with its default buffers DevTools copies every response body a page receives and holds up
// to 200 MB of them, which costs the page's thread about 70 % more CPU on 1 MiB fetches here
// and which a person's browser does not do. A driver can no longer read bodies through it
// (Playwright's response.body()). Written here: no maintained package rewrites DevTools
// traffic; Playwright has no setting for these buffers.
import { spawn } from "node:child_process";
import { fstatSync } from "node:fs";
import { Socket } from "node:net";

const chromiumPath = process.env.COFFRE_RELAY_CHROMIUM;
if (!chromiumPath) {
	console.error("chromium-relay: set COFFRE_RELAY_CHROMIUM to the Chromium to start.");
	process.exit(2);
}

/** Whether `fd` is open and a pipe or socket, as a DevTools pipe driver leaves fds 3 and 4. */
function isPipe(fd) {
	try {
		const stat = fstatSync(fd);
		return stat.isFIFO() || stat.isSocket();
	} catch {
		return false;
	}
}
for (const fd of [3, 4]) {
	if (!isPipe(fd)) {
		console.error(
			"chromium-relay: start it as a browser whose driver talks DevTools over a pipe (fds 3 and 4), e.g. through launchChromium({ keepNetworkBodies: false }).",
		);
		process.exit(2);
	}
}

/** Network.enable parameters that keep no bodies (DevTools' defaults keep up to 200 MB). */
const NO_BODY_BUFFERS = { maxTotalBufferSize: 0, maxResourceBufferSize: 0, maxPostDataSize: 0 };
/** DevTools pipe messages are JSON texts, each ended by a NUL byte. */
const END = 0;

const browser = spawn(chromiumPath, process.argv.slice(2), {
	stdio: ["inherit", "inherit", "inherit", "pipe", "pipe"],
});
const [, , , toBrowser, fromBrowser] = browser.stdio;
const fromDriver = new Socket({ fd: 3, readable: true, writable: false });
const toDriver = new Socket({ fd: 4, readable: false, writable: true });

/**
 * The command with Network.enable's buffers set to zero; any other message as it came,
 * including one that is not JSON (Chromium answers that itself, as without the relay).
 */
function rewrite(message) {
	if (!message.includes("Network.enable")) return message;
	let command;
	try {
		command = JSON.parse(message.toString("utf8"));
	} catch {
		return message;
	}
	if (command?.method !== "Network.enable") return message;
	command.params = { ...command.params, ...NO_BODY_BUFFERS };
	return Buffer.from(JSON.stringify(command), "utf8");
}

let pending = Buffer.alloc(0);
fromDriver.on("data", (data) => {
	pending = pending.length > 0 ? Buffer.concat([pending, data]) : data;
	let start = 0;
	for (let end = pending.indexOf(END); end !== -1; end = pending.indexOf(END, start)) {
		toBrowser.write(rewrite(pending.subarray(start, end)));
		toBrowser.write(Buffer.of(END));
		start = end + 1;
	}
	pending = Buffer.from(pending.subarray(start));
});
// The driver went away: closing the pipe makes Chromium exit, as it would without the relay.
fromDriver.on("end", () => toBrowser.end());
fromDriver.on("error", () => toBrowser.end());
fromBrowser.pipe(toDriver);
toBrowser.on("error", () => undefined);
toDriver.on("error", () => undefined);

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
	process.on(signal, () => browser.kill(signal));
}
browser.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
