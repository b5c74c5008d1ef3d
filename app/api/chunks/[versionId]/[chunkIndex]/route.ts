// The HTTP side of the gateway for whole chunks (DESIGN §5). Uploads: one PUT carries the listed
// shards of one chunk, one after another (`?shards=0,1,2,3,4,5`, each of the size it was placed
// with), and the gateway sends each to its storage node as soon as it arrived; the answer says,
// shard by shard, which were stored and why the others were not. The PUT also carries the chunk's
// shard size and all n shard roots (headers): the chunk is placed then, unless it was placed with
// the same shards before (a resumed upload) — one request per chunk, not two. Downloads: one GET
// asks for the listed shards of one chunk (`?shards=0,1,2,3`, as the owner, a share's recipient or
// a link holder) and gets them back as frames in that order (server/http/shard-frames), each shard
// sent on as soon as its node delivered it; a shard that could not be had is a frame saying why,
// and the browser asks for another one alone (./[shardIndex]/route.ts). One request per chunk
// instead of one per shard: one session check and one placement lookup serve every shard (each
// shard request cost the machine ~30 ms of CPU here, mostly per-request work). Sizes bounded; the
// bytes are sealed ciphertext the server cannot read.
import { z } from "zod";
import { AppError } from "../../../../../server/errors";
import { getShardGateway } from "../../../../../server/gateway/gateway-instance";
import {
	errorResponse,
	httpStatusOf,
	signedInContext,
	uploadLength,
	zChunkAddress,
} from "../../../../../server/http/gateway-route";
import { readAccessOf } from "../../../../../server/http/read-access-request";
import { shardFramesBody } from "../../../../../server/http/shard-frames";
import {
	fetchChunkShards,
	MAX_SHARD_BYTES,
	placeChunk,
	storeChunkShards,
} from "../../../../../server/services/files/uploads";
import { zBytes } from "../../../../../server/validation";

/** Largest body of one chunk's shards (a 64 MiB sealed chunk, with room for parity). */
const MAX_CHUNK_BODY_BYTES = 64 * 2 ** 20;
/** Most shards of one chunk (the server's k + m limit). */
const MAX_SHARDS = 32;

const ZAddress = z.object({
	...zChunkAddress,
	shards: z
		.string()
		.regex(/^\d{1,2}(,\d{1,2}){0,31}$/)
		.transform((list) => list.split(",").map(Number))
		.refine(
			(indices) =>
				indices.every((index) => index < MAX_SHARDS) && new Set(indices).size === indices.length,
			"each shard index once, below 32",
		),
});

/** Headers of an upload naming the chunk's placement: one shard size, every shard's root. */
const SHARD_SIZE_HEADER = "x-coffre-shard-size";
const SHARD_ROOTS_HEADER = "x-coffre-shard-roots";

const ZPlacement = z.object({
	size: z.coerce.number().int().min(1).max(MAX_SHARD_BYTES),
	roots: z
		.string()
		.max(32 * 44)
		.transform((list) => list.split(","))
		.pipe(
			z
				.array(zBytes({ min: 32, max: 32 }))
				.min(2)
				.max(MAX_SHARDS),
		),
});

/** The placement an upload names (both headers), null when it names none. */
function placementOf(request: Request) {
	const size = request.headers.get(SHARD_SIZE_HEADER);
	const roots = request.headers.get(SHARD_ROOTS_HEADER);
	if (size === null && roots === null) return null;
	const placement = ZPlacement.safeParse({ size, roots });
	if (!placement.success)
		throw new AppError("BAD_INPUT", "Malformed shard size or shard roots of the chunk.");
	return placement.data;
}

type Params = { params: Promise<Record<string, string>> };

export async function PUT(request: Request, { params }: Params): Promise<Response> {
	const responseHeaders = new Headers({ "cache-control": "no-store" });
	try {
		const length = uploadLength(request, MAX_CHUNK_BODY_BYTES);
		const address = ZAddress.safeParse({
			...(await params),
			shards: new URL(request.url).searchParams.get("shards") ?? "",
		});
		if (!address.success) throw new AppError("BAD_INPUT", "Malformed chunk address or shard list.");
		const placement = placementOf(request);
		const ctx = await signedInContext(request, responseHeaders);
		if (placement) {
			await placeChunk(ctx, {
				versionId: address.data.versionId,
				chunkIndex: address.data.chunkIndex,
				shards: placement.roots.map((root) => ({ root, size: placement.size })),
			});
		}
		const outcomes = await storeChunkShards(ctx, await getShardGateway(), {
			versionId: address.data.versionId,
			chunkIndex: address.data.chunkIndex,
			shardIndices: address.data.shards,
			length,
			body: request.body,
		});
		return Response.json(
			{
				shards: outcomes.map((outcome) => {
					if (outcome.stored) return outcome;
					if (outcome.error.code === "INTERNAL")
						console.error("Shard gateway failed:", outcome.error);
					return {
						shardIndex: outcome.shardIndex,
						stored: false,
						error: {
							status: httpStatusOf(outcome.error.code),
							appCode: outcome.error.code,
							message: outcome.error.message,
						},
					};
				}),
			},
			{ headers: responseHeaders },
		);
	} catch (error) {
		return errorResponse(error);
	}
}

export async function GET(request: Request, { params }: Params): Promise<Response> {
	const responseHeaders = new Headers({
		"cache-control": "no-store",
		"content-type": "application/octet-stream",
	});
	try {
		const address = ZAddress.safeParse({
			...(await params),
			shards: new URL(request.url).searchParams.get("shards") ?? "",
		});
		if (!address.success) throw new AppError("BAD_INPUT", "Malformed chunk address or shard list.");
		const { ctx, access } = await readAccessOf(request, responseHeaders);
		const reads = await fetchChunkShards(
			ctx,
			await getShardGateway(),
			{
				versionId: address.data.versionId,
				chunkIndex: address.data.chunkIndex,
				shardIndices: address.data.shards,
			},
			access,
		);
		return new Response(shardFramesBody(reads), { headers: responseHeaders });
	} catch (error) {
		return errorResponse(error);
	}
}
