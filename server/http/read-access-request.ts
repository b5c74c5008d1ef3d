// How a shard download names its reader (app/api/chunks GET routes): the signed-in owner; the
// signed-in recipient of `?share=<id>`; or, without an account, a link holder with `?link=<id>`
// and a fresh proof of the link's keys in the link-proof header (checked with the link's policy
// by the read-access service). Malformed ids are refused before anything is looked up.
import "server-only";
import { z } from "zod";
import { AppError } from "../errors";
import { LINK_PROOF_HEADER } from "../services/sharing/links";
import type { ReadAccess } from "../services/sharing/read-access";
import type { Context } from "../trpc";
import { zBytes } from "../validation";
import { signedInContext } from "./gateway-route";
import { createRequestContext } from "./request-context";

const ZReadVia = z.union([
	z.object({ share: z.uuid(), link: z.undefined() }),
	z.object({ link: z.uuid(), share: z.undefined() }),
	z.object({ share: z.undefined(), link: z.undefined() }),
]);

const ZLinkProof = zBytes({ min: 10, max: 256 });

/** The service context of `request` and the access it reads with. */
export async function readAccessOf(
	request: Request,
	responseHeaders: Headers,
): Promise<{ ctx: Context; access: ReadAccess }> {
	const query = new URL(request.url).searchParams;
	const via = ZReadVia.safeParse({
		share: query.get("share") ?? undefined,
		link: query.get("link") ?? undefined,
	});
	if (!via.success) throw new AppError("BAD_INPUT", "Malformed share or link id.");
	if (via.data.link) {
		const proof = ZLinkProof.safeParse(request.headers.get(LINK_PROOF_HEADER) ?? "");
		if (!proof.success) throw new AppError("FORBIDDEN", "Open the link again to download.");
		return {
			ctx: createRequestContext(request, responseHeaders),
			access: { via: "link", linkId: via.data.link, proof: proof.data },
		};
	}
	const ctx = await signedInContext(request, responseHeaders);
	return {
		ctx,
		access: via.data.share
			? { via: "share", userId: ctx.userId, shareId: via.data.share }
			: { via: "owner", userId: ctx.userId },
	};
}
