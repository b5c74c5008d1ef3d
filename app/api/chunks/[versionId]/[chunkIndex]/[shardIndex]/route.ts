// The HTTP side of the gateway for downloads (DESIGN §5): GET fetches one sealed shard from its
// storage node for the owner, the recipient of a share, or a link holder with a fresh proof.
// (Uploads send a whole chunk's shards in one PUT: ../route.ts.) The bytes are sealed
// ciphertext the server cannot read.
import { z } from "zod";
import { AppError } from "../../../../../../server/errors";
import { getShardGateway } from "../../../../../../server/gateway/gateway-instance";
import { bytesResponse } from "../../../../../../server/http/bytes-response";
import {
	errorResponse,
	signedInContext,
	zChunkAddress,
} from "../../../../../../server/http/gateway-route";
import { createRequestContext } from "../../../../../../server/http/request-context";
import { fetchShard } from "../../../../../../server/services/files/uploads";
import { LINK_PROOF_HEADER } from "../../../../../../server/services/sharing/links";
import { zBytes } from "../../../../../../server/validation";

const ZParams = z.object({
	...zChunkAddress,
	shardIndex: z.coerce.number().int().min(0).max(31),
});

const ZLinkProof = zBytes({ min: 10, max: 256 });

type Params = { params: Promise<Record<string, string>> };

async function userContext(request: Request, responseHeaders: Headers, params: Params["params"]) {
	const parsed = ZParams.safeParse(await params);
	if (!parsed.success) throw new AppError("BAD_INPUT", "Malformed shard address.");
	return { ctx: await signedInContext(request, responseHeaders), address: parsed.data };
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
