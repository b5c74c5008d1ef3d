// Who may touch a vault: for now its owner (personal vaults). Anything else answers NOT_FOUND,
// so the existence of other people's vaults and items is never revealed.
import type { Database } from "../../db";
import { AppError } from "../../errors";

export async function requireOwnVault(db: Database, userId: string, vaultId: string) {
	const vault = await db.vault.findUnique({ where: { id: vaultId } });
	if (!vault || vault.ownerId !== userId) throw new AppError("NOT_FOUND", "No such vault.");
	return vault;
}

export async function requireOwnNode(db: Database, userId: string, nodeId: string) {
	const node = await db.vaultNode.findUnique({
		where: { id: nodeId },
		include: { vault: { select: { ownerId: true } } },
	});
	if (!node || node.vault.ownerId !== userId)
		throw new AppError("NOT_FOUND", "No such file or folder.");
	return node;
}
