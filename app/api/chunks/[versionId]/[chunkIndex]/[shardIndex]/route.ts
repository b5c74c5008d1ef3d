// The HTTP side of the gateway (DESIGN §5): PUT sends one sealed shard to the storage node it
// was placed on (the signed-in owner only), GET fetches it back (the owner, the recipient of a
// share, or a link holder with a fresh proof). Sizes are bounded; the bytes are sealed
// ciphertext the server cannot read.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { readSession } from "../../../../../../server/auth/sessions";
import { APP_ERROR_CODES, AppError } from "../../../../../../server/errors";
import { getShardGateway } from "../../../../../../server/gateway/gateway-instance";
import { bytesResponse } from "../../../../../../server/http/bytes-response";
import { readExactBody } from "../../../../../../server/http/exact-body";
import { createRequestContext } from "../../../../../../server/http/request-context";
import { fetchShard, storeShard } from "../../../../../../server/services/files/uploads";
import { LINK_PROOF_HEADER } from "../../../../../../server/services/sharing/links";
import { CSRF_HEADER } from "../../../../../../server/trpc";
import { zBytes } from "../../../../../../server/validation";

/** Largest shard accepted (a 64 MiB chunk split in one). */
const MAX_SHARD_BYTES = 64 * 2 ** 20;

const ZParams = z.object({
	versionId: z.uuid(),
	chunkIndex: z.coerce
		.number()
		.int()
		.min(0)
		.max(2 ** 20),
	shardIndex: z.coerce.number().int().min(0).max(31),
});

const ZLinkProof = zBytes({ min: 10, max: 256 });

type Params = { params: Promise<Record<string, string>> };

const HTTP_STATUS: Record<string, number> = {
	BAD_REQUEST: 400,
	UNAUTHORIZED: 401,
	FORBIDDEN: 403,
	NOT_FOUND: 404,
	CONFLICT: 409,
	PAYLOAD_TOO_LARGE: 413,
	TOO_MANY_REQUESTS: 429,
	SERVICE_UNAVAILABLE: 503,
	INTERNAL_SERVER_ERROR: 500,
};

function errorResponse(error: unknown): Response {
	const appError = error instanceof AppError ? error : null;
	if (!appError) console.error("Shard gateway failed:", error);
	const code = appError?.code ?? "INTERNAL";
	const message = appError?.message ?? "Something went wrong on the server. Please try again.";
	return Response.json(
		{ error: { message, appCode: code } },
		{ status: HTTP_STATUS[APP_ERROR_CODES[code]] ?? 500, headers: { "cache-control": "no-store" } },
	);
}

async function userContext(request: Request, responseHeaders: Headers, params: Params["params"]) {
	const parsed = ZParams.safeParse(await params);
	if (!parsed.success) throw new AppError("BAD_INPUT", "Malformed shard address.");
	const ctx = createRequestContext(request, responseHeaders);
	const session = await readSession(ctx.db, ctx.cookies, ctx.sessionSettings, ctx.now());
	if (!session?.userId) throw new AppError("UNAUTHENTICATED", "Please sign in to continue.");
	return { ctx: { ...ctx, session, userId: session.userId }, address: parsed.data };
}

const ZReadVia = z.union([
	z.object({ share: z.uuid(), link: z.undefined() }),
	z.object({ link: z.uuid(), share: z.undefined() }),
	z.object({ share: z.undefined(), link: z.undefined() }),
]);

/**
 * A GET reads as the signed-in owner, as the recipient of `?share=<id>`, or — without an
 * account — through `?link=<id>` with a proof of the link's keys in the link-proof header.
 */
async function readContext(
	request: Request,
	responseHeaders: Headers,
	params: Params["params"],
): Promise<Parameters<typeof fetchShard>> {
	const gateway = await getShardGateway();
	const query = new URL(request.url).searchParams;
	const via = ZReadVia.safeParse({
		share: query.get("share") ?? undefined,
		link: query.get("link") ?? undefined,
	});
	if (!via.success) throw new AppError("BAD_INPUT", "Malformed share or link id.");
	if (via.data.link) {
		const parsed = ZParams.safeParse(await params);
		if (!parsed.success) throw new AppError("BAD_INPUT", "Malformed shard address.");
		const proof = ZLinkProof.safeParse(request.headers.get(LINK_PROOF_HEADER) ?? "");
		if (!proof.success) throw new AppError("FORBIDDEN", "Open the link again to download.");
		const ctx = createRequestContext(request, responseHeaders);
		return [ctx, gateway, parsed.data, { via: "link", linkId: via.data.link, proof: proof.data }];
	}
	const { ctx, address } = await userContext(request, responseHeaders, params);
	return [
		ctx,
		gateway,
		address,
		via.data.share
			? { via: "share", userId: ctx.userId, shareId: via.data.share }
			: { via: "owner", userId: ctx.userId },
	];
}

export async function PUT(request: Request, { params }: Params): Promise<Response> {
	const responseHeaders = new Headers({ "cache-control": "no-store" });
	try {
		if (request.headers.get(CSRF_HEADER) !== "1")
			throw new AppError("FORBIDDEN", "Missing CSRF header.");
		const length = Number(request.headers.get("content-length") ?? Number.NaN);
		if (!Number.isFinite(length))
			throw new AppError("BAD_INPUT", "Send the shard with a Content-Length.");
		if (length > MAX_SHARD_BYTES)
			throw new AppError("PAYLOAD_TOO_LARGE", "The shard is too large.");
		const { ctx, address } = await userContext(request, responseHeaders, params);
		// Passed on in the pieces it arrived in: no join into one buffer, no extra copy.
		const data = await readExactBody(request.body, length, "The shard");
		const { peerId } = await storeShard(ctx, await getShardGateway(), { ...address, data });
		return Response.json({ stored: true, peerId }, { headers: responseHeaders });
	} catch (error) {
		return errorResponse(
			error instanceof TRPCError ? new AppError("INTERNAL", error.message) : error,
		);
	}
}

export async function GET(request: Request, { params }: Params): Promise<Response> {
	const responseHeaders = new Headers({
		"cache-control": "no-store",
		"content-type": "application/octet-stream",
	});
	try {
		const data = await fetchShard(...(await readContext(request, responseHeaders, params)));
		// Sent as fetched: the shard is already a fresh buffer of its own, not copied again.
		return bytesResponse(data, responseHeaders);
	} catch (error) {
		return errorResponse(error);
	}
}
