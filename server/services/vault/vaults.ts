// The user's personal vault: created once by the browser (which seals the VaultKey under the
// AccountKey) and read back at unlock.

import { AppError } from "../../errors";
import type { Context } from "../../trpc";

type UserContext = Context & { userId: string };

export async function getPersonalVault(ctx: UserContext) {
	return ctx.db.vault.findFirst({
		where: { ownerId: ctx.userId, kind: "personal" },
		select: { id: true, wrappedVaultKey: true, createdAt: true },
	});
}

export async function createPersonalVault(
	ctx: UserContext,
	{ id, wrappedVaultKey }: { id: string; wrappedVaultKey: Uint8Array<ArrayBuffer> },
) {
	if (await getPersonalVault(ctx))
		throw new AppError("CONFLICT", "You already have a personal vault.");
	return ctx.db.vault
		.create({
			data: { id, ownerId: ctx.userId, kind: "personal", wrappedVaultKey, createdAt: ctx.now() },
			select: { id: true, wrappedVaultKey: true, createdAt: true },
		})
		.catch((error: unknown) => {
			if ((error as { code?: string }).code === "P2002")
				throw new AppError("CONFLICT", "That vault id is taken.");
			throw error;
		});
}
