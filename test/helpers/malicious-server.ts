// A man-in-the-middle for browser tests (DESIGN §9.2–3, §10): it sits in one page's network layer,
// between Chromium and the real server, and passes the real responses through — or, once an
// attack is armed, rewrites the real tRPC results (httpBatchLink batches, superjson envelopes, as
// client/api.ts and server/trpc.ts use them) or serves other shards than those asked for on
// /api/chunks, in a chunk's framed answer (server/http/shard-frames) as in a single shard's.
// Working inside the browser keeps the exact origin WebAuthn needs. It only reads
// from the server (mutations and uploads pass untouched) and never writes to its database: it
// lies to one page and to nobody else.
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { Page, Route } from "playwright-core";
import superjson, { type SuperJSONResult } from "superjson";
import { AppError } from "../../server/errors";
import { shardFramesBody } from "../../server/http/shard-frames";
import type { AppRouter } from "../../server/root";
import type { ShardRead } from "../../server/services/files/uploads";

type Inputs = inferRouterInputs<AppRouter>;
type Outputs = inferRouterOutputs<AppRouter>;

/** The queries an attack may rewrite, by the path tRPC puts in the URL. */
export interface Queries {
	"vault.list": { input: Inputs["vault"]["list"]; output: Outputs["vault"]["list"] };
	"files.versions": { input: Inputs["files"]["versions"]; output: Outputs["files"]["versions"] };
	"vault.folderState": {
		input: Inputs["vault"]["folderState"];
		output: Outputs["vault"]["folderState"];
	};
}
export type QueryPath = keyof Queries;
export type NodeRow = Outputs["vault"]["list"][number];

/** Where the browser fetches a shard: `/api/chunks/<versionId>/<chunkIndex>/<shardIndex>`. */
export interface ShardAddress {
	versionId: string;
	chunkIndex: number;
	shardIndex: number;
}

/** One lie. Arm it with `MaliciousServer.arm`; the named attacks below build them. */
export interface Attack {
	/** Rewrites the real result of a query; returning it unchanged lets the call pass. */
	rewrite?: {
		[P in QueryPath]?: (
			output: Queries[P]["output"],
			input: Queries[P]["input"],
		) => Queries[P]["output"];
	};
	/** The shard to serve in place of the one asked for; undefined serves the real one. */
	redirectShard?: (asked: ShardAddress) => ShardAddress | undefined;
}

/** A real query result as the server sent it, before any rewriting. */
export interface SeenCall<P extends QueryPath> {
	input: Queries[P]["input"];
	output: Queries[P]["output"];
}

export interface MaliciousServer {
	/** Arms `attack` for every later response (replacing the one armed before). */
	arm(attack: Attack): Promise<void>;
	/** Serves the honest responses again. */
	disarm(): Promise<void>;
	/** Responses changed since the last `arm`: tests assert it is > 0, so a no-op cannot pass. */
	readonly tampered: number;
	/** The real results of `path` the page received so far, oldest first. */
	seen<P extends QueryPath>(path: P): SeenCall<P>[];
	/** Errors of the interception itself (the request was aborted); tests assert there are none. */
	readonly failures: readonly string[];
	/** Removes the interception. */
	close(): Promise<void>;
}

/** Long enough for a loaded 2-core machine; the page's own timeouts stay in charge. */
const UPSTREAM_TIMEOUT_MS = 120_000;

const TRPC_PREFIX = "/api/trpc/";
const QUERY_PATHS: ReadonlySet<string> = new Set<QueryPath>([
	"vault.list",
	"files.versions",
	"vault.folderState",
]);
const CHUNKS_PATH = /^\/api\/chunks\/([0-9a-f-]{36})\/(\d+)\/(\d+)$/;
/** Where the browser fetches the listed shards of a chunk: `…/<chunkIndex>?shards=0,1,2,3`. */
const CHUNK_PATH = /^\/api\/chunks\/([0-9a-f-]{36})\/(\d+)$/;

type BatchItem = { result?: { data: SuperJSONResult } } & Record<string, unknown>;
type Rewriter = (output: unknown, input: unknown) => unknown;

/**
 * Starts intercepting `page`'s API traffic; it passes everything through until an attack is armed.
 *
 * @example
 * const server = await interceptApi(page);
 * server.arm(swapWrappedKeys(a.id, b.id));
 * // …the page must now refuse both items…
 * expect(server.tampered).toBeGreaterThan(0);
 */
export async function interceptApi(page: Page): Promise<MaliciousServer> {
	let attack: Attack | null = null;
	let tampered = 0;
	const seen: { path: string; input: unknown; output: unknown }[] = [];

	async function trpc(route: Route): Promise<void> {
		const request = route.request();
		// Only queries (GET) carry what the client reads; mutations and their cookies pass untouched.
		if (request.method() !== "GET") return route.fallback();
		const url = new URL(request.url());
		const paths = decodeURIComponent(url.pathname.slice(TRPC_PREFIX.length)).split(",");
		const inputs = JSON.parse(url.searchParams.get("input") ?? "{}") as Record<
			string,
			SuperJSONResult
		>;
		const response = await route.fetch({ timeout: UPSTREAM_TIMEOUT_MS });
		const body = (await response.json()) as BatchItem[] | BatchItem;
		const items = Array.isArray(body) ? body : [body];
		let changed = false;
		items.forEach((item, index) => {
			const path = paths[index] as string;
			if (!item.result || !QUERY_PATHS.has(path)) return;
			const envelope = inputs[String(index)];
			const input = envelope ? superjson.deserialize(envelope) : undefined;
			seen.push({ path, input, output: superjson.deserialize(item.result.data) });
			const rewrite = attack?.rewrite?.[path as QueryPath] as Rewriter | undefined;
			if (!rewrite) return;
			const served = superjson.serialize(rewrite(superjson.deserialize(item.result.data), input));
			if (JSON.stringify(served) === JSON.stringify(item.result.data)) return;
			item.result.data = served;
			changed = true;
		});
		if (!changed) return route.fulfill({ response });
		tampered++;
		return route.fulfill({ response, json: body });
	}

	/** A single shard's bytes from the real server, or null when it answered with an error. */
	async function realShard(route: Route, url: URL, address: ShardAddress) {
		const shardUrl = new URL(url);
		shardUrl.pathname = `/api/chunks/${address.versionId}/${address.chunkIndex}/${address.shardIndex}`;
		shardUrl.searchParams.delete("shards");
		const response = await route.fetch({ url: shardUrl.href, timeout: UPSTREAM_TIMEOUT_MS });
		return response.ok() ? await response.body() : null;
	}

	/** A chunk's framed answer, built from single-shard answers with the attack's redirections. */
	async function chunkShards(route: Route, match: RegExpExecArray): Promise<void> {
		const url = new URL(route.request().url());
		const asked = (url.searchParams.get("shards") ?? "").split(",").map((shardIndex) => ({
			versionId: match[1] as string,
			chunkIndex: Number(match[2]),
			shardIndex: Number(shardIndex),
		}));
		const served = asked.map((address) => attack?.redirectShard?.(address));
		if (served.every((address) => address === undefined)) return route.fallback();
		tampered++;
		// Framed by the gateway's own encoder, so the answer differs from a real one only in
		// which shards it carries.
		const reads = asked.map(async (address, position): Promise<ShardRead> => {
			const bytes = await realShard(route, url, served[position] ?? address);
			return bytes
				? { shardIndex: address.shardIndex, data: bytes }
				: {
						shardIndex: address.shardIndex,
						error: new AppError("UNAVAILABLE", "The storage node is unavailable."),
					};
		});
		return route.fulfill({
			status: 200,
			contentType: "application/octet-stream",
			body: Buffer.from(await new Response(shardFramesBody(reads)).arrayBuffer()),
		});
	}

	async function chunks(route: Route): Promise<void> {
		const request = route.request();
		const chunk = CHUNK_PATH.exec(new URL(request.url()).pathname);
		if (chunk && request.method() === "GET") return chunkShards(route, chunk);
		const match = CHUNKS_PATH.exec(new URL(request.url()).pathname);
		const asked: ShardAddress | undefined = match
			? {
					versionId: match[1] as string,
					chunkIndex: Number(match[2]),
					shardIndex: Number(match[3]),
				}
			: undefined;
		const served = asked && request.method() === "GET" ? attack?.redirectShard?.(asked) : undefined;
		if (!served) return route.fallback();
		tampered++;
		const url = new URL(request.url());
		url.pathname = `/api/chunks/${served.versionId}/${served.chunkIndex}/${served.shardIndex}`;
		const response = await route.fetch({ url: url.href, timeout: UPSTREAM_TIMEOUT_MS });
		return route.fulfill({ response });
	}

	// A handler that throws (a rewrite's bug, the page closed mid-request) aborts that request and
	// is kept for the test to see, never an unhandled rejection.
	const failures: string[] = [];
	const guarded = (handler: (route: Route) => Promise<void>) => async (route: Route) => {
		try {
			await handler(route);
		} catch (error) {
			failures.push(`${route.request().url()}: ${String(error)}`);
			await route.abort().catch(() => undefined);
		}
	};
	const isTrpc = (url: URL) => url.pathname.startsWith(TRPC_PREFIX);
	const isChunk = (url: URL) => url.pathname.startsWith("/api/chunks/");
	const trpcHandler = guarded(trpc);
	const chunksHandler = guarded(chunks);
	await page.route(isTrpc, trpcHandler);
	// Shards are intercepted only while an attack redirects them: an intercepted upload would push
	// every shard's body through the DevTools protocol, slowing honest uploads for nothing.
	let chunksRouted = false;
	async function routeChunks(wanted: boolean) {
		if (wanted === chunksRouted) return;
		chunksRouted = wanted;
		if (wanted) await page.route(isChunk, chunksHandler);
		else await page.unroute(isChunk, chunksHandler);
	}

	return {
		async arm(next) {
			attack = next;
			tampered = 0;
			await routeChunks(next.redirectShard !== undefined);
		},
		async disarm() {
			attack = null;
			await routeChunks(false);
		},
		get tampered() {
			return tampered;
		},
		failures,
		seen<P extends QueryPath>(path: P) {
			return seen.filter((call) => call.path === path) as unknown as SeenCall<P>[];
		},
		async close() {
			await page.unroute(isTrpc, trpcHandler);
			await routeChunks(false);
		},
	};
}

// Named attacks ---------------------------------------------------------------------------------

/** Swaps the wrapped NodeKeys of items `a` and `b` in any listing that holds both (DESIGN §9.2). */
export function swapWrappedKeys(a: string, b: string): Attack {
	return {
		rewrite: {
			"vault.list": (rows) => {
				const keyOf = new Map(rows.map((row) => [row.id, row.wrappedNodeKey]));
				const keyA = keyOf.get(a);
				const keyB = keyOf.get(b);
				if (keyA === undefined || keyB === undefined) return rows;
				return rows.map((row) =>
					row.id === a
						? { ...row, wrappedNodeKey: keyB }
						: row.id === b
							? { ...row, wrappedNodeKey: keyA }
							: row,
				);
			},
		},
	};
}

/**
 * Adds `row` — a real item of another folder or of another person's vault — to the listing of
 * folder `into` (null: the top level). With `reparent` the row also claims to belong there (its
 * parent and vault rewritten to the listing's), so only the cryptographic binding can give it
 * away (DESIGN §9.3).
 */
export function injectNode(
	row: NodeRow,
	{ into, reparent }: { into: string | null; reparent: boolean },
): Attack {
	return {
		rewrite: {
			"vault.list": (rows, input) => {
				if (input.parentId !== into || input.trashed || rows.some(({ id }) => id === row.id))
					return rows;
				const injected = reparent ? { ...row, parentId: into, vaultId: input.vaultId } : row;
				return [...rows, injected];
			},
		},
	};
}

/** Leaves item `id` out of every listing that holds it (DESIGN §9.3). */
export function omitNode(id: string): Attack {
	return {
		rewrite: { "vault.list": (rows) => rows.filter((row) => row.id !== id) },
	};
}

/**
 * Serves folder `folderId` (null: the top level) as it was earlier: an older real state of the
 * folder together with the real listing the page received with it (DESIGN §9.3 rollback).
 */
export function rollBackFolder(
	folderId: string | null,
	earlier: {
		state: Queries["vault.folderState"]["output"];
		rows: Queries["vault.list"]["output"];
	},
): Attack {
	return {
		rewrite: {
			"vault.folderState": (state, input) => (input.folderId === folderId ? earlier.state : state),
			"vault.list": (rows, input) =>
				input.parentId === folderId && !input.trashed ? earlier.rows : rows,
		},
	};
}

/** Hides a file's newest version: its version list starts with the one before (DESIGN §9.3). */
export function hideNewestVersion(fileId: string): Attack {
	return {
		rewrite: {
			"files.versions": (versions, input) =>
				input.fileId === fileId ? versions.slice(1) : versions,
		},
	};
}

/** Serves version `from`'s sealed manifest as version `onto`'s, in the file's version list. */
export function replayManifest({ from, onto }: { from: string; onto: string }): Attack {
	return {
		rewrite: {
			"files.versions": (versions) => {
				const replayed = versions.find(({ id }) => id === from)?.sealedManifest;
				if (replayed === undefined) return versions;
				return versions.map((version) =>
					version.id === onto ? { ...version, sealedManifest: replayed } : version,
				);
			},
		},
	};
}

/** Serves chunk `a`'s shards when chunk `b`'s are asked for, and the reverse, in one version. */
export function swapChunks(versionId: string, a: number, b: number): Attack {
	return {
		redirectShard: (asked) => {
			if (asked.versionId !== versionId) return undefined;
			if (asked.chunkIndex === a) return { ...asked, chunkIndex: b };
			if (asked.chunkIndex === b) return { ...asked, chunkIndex: a };
			return undefined;
		},
	};
}

/**
 * Serves version `from`'s shards (same chunk and shard index) when version `onto`'s are asked
 * for — every chunk, or only chunk `chunkIndex` (a late chunk fails after earlier ones streamed).
 */
export function replayShards({
	from,
	onto,
	chunkIndex,
}: {
	from: string;
	onto: string;
	chunkIndex?: number;
}): Attack {
	return {
		redirectShard: (asked) =>
			asked.versionId === onto && (chunkIndex === undefined || asked.chunkIndex === chunkIndex)
				? { ...asked, versionId: from }
				: undefined,
	};
}

/**
 * Serves another shard of the same chunk (shard 0, or shard 1 when 0 is the one asked for) in
 * place of shard `shardIndex` of chunk `chunkIndex`: one source lies while the others answer
 * honestly, so a client that checks each shard's root fetches another one and still gets the
 * right bytes.
 */
export function oneWrongShard({ versionId, chunkIndex, shardIndex }: ShardAddress): Attack {
	return {
		redirectShard: (asked) =>
			asked.versionId === versionId &&
			asked.chunkIndex === chunkIndex &&
			asked.shardIndex === shardIndex
				? { ...asked, shardIndex: shardIndex === 0 ? 1 : 0 }
				: undefined,
	};
}

/** Serves every version's list of stored shards reversed: harmless to a client that checks. */
export function reverseShardList(): Attack {
	return {
		rewrite: {
			"files.versions": (versions) =>
				versions.map((version) => ({
					...version,
					storedShards: version.storedShards.toReversed(),
				})),
		},
	};
}
