// The HTTP side of the gateway for single shards (DESIGN §5): GET fetches one sealed shard from
// its storage node for the owner, the recipient of a share, or a link holder with a fresh proof.
// A download asks for a chunk's shards together (../route.ts GET) and comes here for the shards
// that answer did not deliver. The bytes are sealed ciphertext the server cannot read.
import { z } from "zod";
import { AppError } from "../../../../../../server/errors";
import { getShardGateway } from "../../../../../../server/gateway/gateway-instance";
import { bytesResponse } from "../../../../../../server/http/bytes-response";
import { errorResponse, zChunkAddress } from "../../../../../../server/http/gateway-route";
import { readAccessOf } from "../../../../../../server/http/read-access-request";
import { fetchShard } from "../../../../../../server/services/files/uploads";

const ZParams = z.object({
	...zChunkAddress,
	shardIndex: z.coerce.number().int().min(0).max(31),
});

type Params = { params: Promise<Record<string, string>> };

export async function GET(request: Request, { params }: Params): Promise<Response> {
	const responseHeaders = new Headers({
		"cache-control": "no-store",
		"content-type": "application/octet-stream",
	});
	try {
		const address = ZParams.safeParse(await params);
		if (!address.success) throw new AppError("BAD_INPUT", "Malformed shard address.");
		const { ctx, access } = await readAccessOf(request, responseHeaders);
		const data = await fetchShard(ctx, await getShardGateway(), address.data, access);
		// Sent as fetched: the shard is already a fresh buffer of its own, not copied again.
		return bytesResponse(data, responseHeaders);
	} catch (error) {
		return errorResponse(error);
	}
}
