// Uploads and downloads of file versions as the server coordinates them (DESIGN §5): a version
// is started, each sealed chunk's n shards are placed on distinct nodes and sent through the
// gateway, a shard whose node fails is placed again elsewhere when a node is free, and the
// version commits only when every chunk has at least k + 1 shards stored (repair tops up the
// rest). The server sees sizes, counts and shard roots — never plaintext or keys.

import { STREAM_TAG_BYTES } from "../../../crypto";
import { shardLengthFor } from "../../../p2p/erasure";
import { type ShardBody, shardBodyLength } from "../../../p2p/protocols/shard/client";
import { chooseNodes } from "../../coordinator/placement";
import { AppError } from "../../errors";
import type { ShardGateway } from "../../gateway/shard-gateway";
import { splitBody } from "../../http/split-body";
import type { Context } from "../../trpc";
import { type ReadAccess, requireReadableNode } from "../sharing/read-access";
import { requireOwnNode, requireOwnVault } from "../vault/access";
import { applyFolderStates, type FolderStateUpdate } from "../vault/folder-states";
import { requireRoomInFolder } from "../vault/nodes";
import { releaseShards, STORED_SHARD_FIELDS } from "./release-shards";
import { requireRoomForVersion } from "./storage-usage";

type UserContext = Context & { userId: string };

/** Erasure parameters a client may ask for (DESIGN §5: 4 of 6 locally, 10 of 16 suggested). */
export const MAX_TOTAL_SHARDS = 32;
/** Largest shard a client may place (and chunk it may declare). */
export const MAX_SHARD_BYTES = 64 * 2 ** 20;
export const MAX_CHUNKS = 1 << 20;

export interface StartUploadInput {
	vaultId: string;
	fileId: string;
	parentId: string | null;
	/** For a new file: its sealed name and wrapped NodeKey (as folders). */
	newFile?: { sealedName: Uint8Array<ArrayBuffer>; wrappedNodeKey: Uint8Array<ArrayBuffer> };
	versionId: string;
	/** Stream header and source-file facts sealed under the NodeKey, to resume the upload. */
	sealedUploadState: Uint8Array<ArrayBuffer>;
	size: number;
	chunkSize: number;
	chunkCount: number;
	dataShards: number;
	parityShards: number;
}

/** Starts a version of a new or existing file; returns its sequence number. */
export async function startUpload(
	ctx: UserContext,
	input: StartUploadInput,
): Promise<{ seq: number }> {
	await requireOwnVault(ctx.db, ctx.userId, input.vaultId);
	if (
		input.dataShards < 1 ||
		input.parityShards < 1 ||
		input.dataShards + input.parityShards > MAX_TOTAL_SHARDS
	) {
		throw new AppError(
			"BAD_INPUT",
			`Erasure coding needs 1 ≤ k, 1 ≤ m and k + m ≤ ${MAX_TOTAL_SHARDS}.`,
		);
	}
	if (
		input.chunkCount !== Math.max(1, Math.ceil(input.size / input.chunkSize)) ||
		input.chunkCount > MAX_CHUNKS
	) {
		throw new AppError("BAD_INPUT", "The chunk count does not match the size and chunk size.");
	}
	try {
		shardLengthFor(input.chunkSize + STREAM_TAG_BYTES, input.dataShards);
	} catch {
		throw new AppError("BAD_INPUT", "Chunks this large make shards above the size limit.");
	}
	const now = ctx.now();
	return ctx.db.$transaction(async (tx) => {
		// First: it holds the person's row, so their uploads starting at once are counted in turn.
		await requireRoomForVersion(tx, ctx.userId, input.size, ctx.storageQuotaBytes);
		const existing = await tx.vaultNode.findUnique({
			where: { id: input.fileId },
			include: { vault: true },
		});
		if (existing) {
			if (
				existing.vault.ownerId !== ctx.userId ||
				existing.vaultId !== input.vaultId ||
				existing.kind !== "file"
			) {
				throw new AppError("NOT_FOUND", "No such file.");
			}
		} else {
			if (!input.newFile)
				throw new AppError("BAD_INPUT", "A new file needs its sealed name and wrapped key.");
			if (input.parentId) {
				const parent = await tx.vaultNode.findUnique({ where: { id: input.parentId } });
				if (!parent || parent.vaultId !== input.vaultId || parent.kind !== "folder") {
					throw new AppError("BAD_INPUT", "The destination is not a folder of this vault.");
				}
			}
			await requireRoomInFolder(tx, input.vaultId, input.parentId);
			await tx.vaultNode.create({
				data: {
					id: input.fileId,
					vaultId: input.vaultId,
					parentId: input.parentId,
					kind: "file",
					sealedName: input.newFile.sealedName,
					wrappedNodeKey: input.newFile.wrappedNodeKey,
					createdAt: now,
					updatedAt: now,
				},
			});
		}
		const last = await tx.fileVersion.findFirst({
			where: { nodeId: input.fileId },
			orderBy: { seq: "desc" },
		});
		const seq = (last?.seq ?? 0) + 1;
		await tx.fileVersion.create({
			data: {
				id: input.versionId,
				nodeId: input.fileId,
				seq,
				size: BigInt(input.size),
				chunkSize: input.chunkSize,
				chunkCount: input.chunkCount,
				dataShards: input.dataShards,
				parityShards: input.parityShards,
				sealedUploadState: input.sealedUploadState,
				authorId: ctx.userId,
				createdAt: now,
			},
		});
		return { seq };
	});
}

async function requireOwnVersion(ctx: UserContext, versionId: string) {
	const version = await ctx.db.fileVersion.findUnique({ where: { id: versionId } });
	if (!version) throw new AppError("NOT_FOUND", "No such file version.");
	await requireOwnNode(ctx.db, ctx.userId, version.nodeId);
	return version;
}

/**
 * The placement of one shard of a version `userId` owns, with its node — one lookup, as it
 * runs for every shard sent or read. Null when the chunk was not placed; NOT_FOUND when the
 * version does not exist or is someone else's (the slower checks run only then, to say which).
 */
async function ownPlacement(
	ctx: UserContext,
	address: { versionId: string; chunkIndex: number; shardIndex: number },
) {
	const placement = await ctx.db.shardPlacement.findFirst({
		where: { ...address, version: { node: { vault: { ownerId: ctx.userId } } } },
		include: { node: true },
	});
	if (!placement) await requireOwnVersion(ctx, address.versionId);
	return placement;
}

/**
 * The size of every shard of chunk `chunkIndex` of a version, from what its upload declared:
 * the chunk's sealed bytes (its plaintext, all chunks full but the last, plus the AES-GCM tag —
 * DESIGN §4 sealed stream) split into k data shards as p2p/erasure splits them.
 */
function shardSizeOf(
	version: { size: bigint; chunkSize: number; chunkCount: number; dataShards: number },
	chunkIndex: number,
): number {
	const plaintext =
		chunkIndex < version.chunkCount - 1
			? version.chunkSize
			: Number(version.size) - (version.chunkCount - 1) * version.chunkSize;
	return shardLengthFor(plaintext + STREAM_TAG_BYTES, version.dataShards);
}

/**
 * Places the n shards of one chunk on n distinct nodes; returns which node holds which shard.
 * Placing a chunk again (an upload that resumes) keeps the placement made before when the
 * shards are the same, so shards already stored stay counted; different shards for a chunk
 * already placed are refused — a version's chunks never change.
 */
export async function placeChunk(
	ctx: UserContext,
	{
		versionId,
		chunkIndex,
		shards,
	}: {
		versionId: string;
		chunkIndex: number;
		shards: { root: Uint8Array<ArrayBuffer>; size: number }[];
	},
): Promise<{ shardIndex: number; peerId: string }[]> {
	const version = await requireOwnVersion(ctx, versionId);
	if (version.state !== "uploading")
		throw new AppError("CONFLICT", "This version is already committed.");
	if (chunkIndex < 0 || chunkIndex >= version.chunkCount)
		throw new AppError("BAD_INPUT", "No such chunk in this version.");
	if (shards.length !== version.dataShards + version.parityShards) {
		throw new AppError(
			"BAD_INPUT",
			`Each chunk has ${version.dataShards + version.parityShards} shards.`,
		);
	}
	// The version's declared size is what its owner's quota counts: its shards hold no more.
	const shardSize = shardSizeOf(version, chunkIndex);
	if (shards.some((shard) => shard.size !== shardSize)) {
		throw new AppError(
			"BAD_INPUT",
			`Each shard of chunk ${chunkIndex} has ${shardSize} bytes, as the version's size and chunk size make it.`,
		);
	}
	const placed = await ctx.db.shardPlacement.findMany({
		where: { versionId, chunkIndex },
		orderBy: { shardIndex: "asc" },
	});
	if (placed.length > 0) {
		const same =
			placed.length === shards.length &&
			placed.every(
				(row, i) =>
					row.size === shards[i]?.size &&
					Buffer.from(row.root).equals(Buffer.from(shards[i]?.root ?? [])),
			);
		if (!same)
			throw new AppError("CONFLICT", "This chunk was already placed with different contents.");
		return placed.map(({ shardIndex, peerId }) => ({ shardIndex, peerId }));
	}
	const targets = await chooseNodes(ctx.db, { count: shards.length });
	const rows = shards.map((shard, shardIndex) => ({
		versionId,
		chunkIndex,
		shardIndex,
		root: shard.root,
		size: shard.size,
		peerId: (targets[shardIndex] as { peerId: string }).peerId,
		createdAt: ctx.now(),
	}));
	await ctx.db.shardPlacement.createMany({ data: rows });
	return rows.map(({ shardIndex, peerId }) => ({ shardIndex, peerId }));
}

/** A placement as `ownPlacement` and `ownChunkPlacements` return it, with its node. */
type PlacementWithNode = NonNullable<Awaited<ReturnType<typeof ownPlacement>>>;

/**
 * The placements of every shard of one chunk of a version `userId` owns, by shard index, in
 * one lookup; empty when the chunk was not placed; NOT_FOUND when the version does not exist
 * or is someone else's.
 */
async function ownChunkPlacements(
	ctx: UserContext,
	{ versionId, chunkIndex }: { versionId: string; chunkIndex: number },
): Promise<Map<number, PlacementWithNode>> {
	const placements = await ctx.db.shardPlacement.findMany({
		where: { versionId, chunkIndex, version: { node: { vault: { ownerId: ctx.userId } } } },
		include: { node: true },
	});
	if (placements.length === 0) await requireOwnVersion(ctx, versionId);
	return new Map(placements.map((placement) => [placement.shardIndex, placement]));
}

/** What became of one shard of a chunk sent in one request. */
export type ShardOutcome =
	| { shardIndex: number; stored: true; peerId: string }
	| { shardIndex: number; stored: false; error: AppError };

/**
 * Sends the listed shards of one chunk, which arrive one after another in `body` (each of the
 * size it was placed with), to their nodes: each shard leaves as soon as its last byte arrived,
 * while the next ones still arrive. One lookup serves every shard, and one update records those
 * stored where they were placed (a shard moved to another node is recorded as it lands; a
 * failed update fails the request, which the client sends again). Returns each shard's
 * outcome; throws only for what concerns the whole request (not placed, wrong total size, a
 * body that is short or long — shards complete before it ended are still stored).
 */
export async function storeChunkShards(
	ctx: UserContext,
	gateway: ShardGateway,
	{
		versionId,
		chunkIndex,
		shardIndices,
		length,
		body,
	}: {
		versionId: string;
		chunkIndex: number;
		shardIndices: readonly number[];
		/** The body's announced length: the listed shards' placed sizes must add up to it. */
		length: number;
		body: ReadableStream<Uint8Array> | null;
	},
): Promise<ShardOutcome[]> {
	const placements = await ownChunkPlacements(ctx, { versionId, chunkIndex });
	const listed = shardIndices.map((shardIndex) => {
		const placement = placements.get(shardIndex);
		if (!placement)
			throw new AppError("NOT_FOUND", "These shards were not placed; place their chunk first.");
		return placement;
	});
	if (listed.reduce((sum, placement) => sum + placement.size, 0) !== length)
		throw new AppError("BAD_INPUT", "The shards' sizes differ from the ones placed.");
	const outcomes: Promise<ShardOutcome>[] = [];
	/** Shards stored where they were placed, whose rows still say "placed". */
	const unrecorded: number[] = [];
	/** Why reading the body failed (cut short, malformed), reported once its shards settled. */
	let bodyFailure: { error: unknown } | undefined;
	try {
		const parts = splitBody(
			body,
			listed.map((placement) => placement.size),
		);
		for await (const { index, pieces } of parts) {
			const placement = listed[index] as PlacementWithNode;
			const { shardIndex } = placement;
			outcomes.push(
				storePlacedShard(ctx, gateway, placement, pieces).then(
					({ peerId, recorded }): ShardOutcome => {
						if (!recorded) unrecorded.push(shardIndex);
						return { shardIndex, stored: true, peerId };
					},
					(error: unknown): ShardOutcome => ({
						shardIndex,
						stored: false,
						error:
							error instanceof AppError
								? error
								: new AppError("INTERNAL", "Storing this shard failed.", { cause: error }),
					}),
				),
			);
		}
	} catch (error) {
		bodyFailure = { error };
	}
	// Shards already on their way finish, and are recorded, before the request answers: those
	// stored where they were placed in one update rather than one each. When the body failed,
	// that failure is what the request reports, even if recording fails too (the client sends
	// the chunk again either way).
	await Promise.all(outcomes);
	if (unrecorded.length > 0) {
		const recording = ctx.db.shardPlacement.updateMany({
			where: { versionId, chunkIndex, shardIndex: { in: unrecorded } },
			data: { state: "stored" },
		});
		await (bodyFailure ? recording.catch(() => undefined) : recording);
	}
	if (bodyFailure) throw bodyFailure.error;
	return Promise.all(outcomes);
}

/**
 * Sends one shard to its node. If the node fails, the shard is placed on another node that
 * holds nothing of this chunk, when there is one, and its placement row says so at once;
 * otherwise the failure is reported and the chunk may still commit with k + 1 shards. A shard
 * stored where it was placed comes back `recorded: false`: its caller marks it stored.
 */
async function storePlacedShard(
	ctx: UserContext,
	gateway: ShardGateway,
	placement: PlacementWithNode,
	data: ShardBody,
): Promise<{ peerId: string; recorded: boolean }> {
	const { versionId, chunkIndex, shardIndex } = placement;
	const key = { versionId_chunkIndex_shardIndex: { versionId, chunkIndex, shardIndex } };
	if (shardBodyLength(data) !== placement.size)
		throw new AppError("BAD_INPUT", "The shard's size differs from the one placed.");
	const tried = [placement.peerId];
	let target = { peerId: placement.node.peerId, addresses: placement.node.addresses };
	for (;;) {
		try {
			await gateway.store(target, { root: new Uint8Array(placement.root), data });
		} catch (error) {
			const statusName = (error as { statusName?: string }).statusName;
			if (statusName === "ROOT_MISMATCH")
				throw new AppError("BAD_INPUT", "The shard does not match the root it was placed with.");
			const siblings = await ctx.db.shardPlacement.findMany({
				where: { versionId, chunkIndex },
				select: { peerId: true },
			});
			const [next] = await chooseNodes(ctx.db, {
				count: 1,
				exclude: [...new Set([...tried, ...siblings.map((sibling) => sibling.peerId)])],
			}).catch(() => []);
			if (!next) {
				await ctx.db.shardPlacement.update({ where: key, data: { state: "failed" } });
				throw new AppError(
					"UNAVAILABLE",
					"A storage node is unavailable and no other node is free for this shard.",
					{ cause: error },
				);
			}
			tried.push(next.peerId);
			target = next;
			continue;
		}
		// Stored where it was placed: the caller records it with the chunk's other shards.
		if (target.peerId === placement.peerId) return { peerId: target.peerId, recorded: false };
		await ctx.db.shardPlacement.update({
			where: key,
			data: { peerId: target.peerId, state: "stored" },
		});
		return { peerId: target.peerId, recorded: true };
	}
}

/**
 * Commits a version once every chunk has at least k + 1 stored shards, together with the new
 * state of the file's folder (which names this version as the file's newest).
 */
export async function commitVersion(
	ctx: UserContext,
	{
		versionId,
		sealedManifest,
		states = [],
	}: {
		versionId: string;
		sealedManifest: Uint8Array<ArrayBuffer>;
		states?: FolderStateUpdate[];
	},
): Promise<void> {
	const version = await requireOwnVersion(ctx, versionId);
	const node = await requireOwnNode(ctx.db, ctx.userId, version.nodeId);
	if (version.state !== "uploading")
		throw new AppError("CONFLICT", "This version is already committed.");
	const stored = await ctx.db.shardPlacement.groupBy({
		by: ["chunkIndex"],
		where: { versionId, state: "stored" },
		_count: { _all: true },
	});
	const storedPerChunk = new Map(stored.map((row) => [row.chunkIndex, row._count._all]));
	const needed = version.dataShards + 1;
	for (let chunk = 0; chunk < version.chunkCount; chunk++) {
		if ((storedPerChunk.get(chunk) ?? 0) < needed) {
			throw new AppError(
				"CONFLICT",
				`Chunk ${chunk + 1} has fewer than ${needed} shards stored; the upload is not complete.`,
			);
		}
	}
	const now = ctx.now();
	await ctx.db.$transaction(async (tx) => {
		// Only an upload still running commits: a retried commit finds it done and stops here.
		const { count } = await tx.fileVersion.updateMany({
			where: { id: versionId, state: "uploading" },
			data: { state: "committed", sealedManifest, committedAt: now },
		});
		if (count !== 1) throw new AppError("CONFLICT", "This version is already committed.");
		await tx.vaultNode.update({ where: { id: version.nodeId }, data: { updatedAt: now } });
		await applyFolderStates(tx, node.vaultId, states, now);
	});
}

/**
 * A committed version of a file shared with the caller or through a link, after checking that
 * `access` reads it; NOT_FOUND otherwise.
 */
async function requireReadableVersion(ctx: Context, versionId: string, access: ReadAccess) {
	const version = await ctx.db.fileVersion.findUnique({ where: { id: versionId } });
	if (version?.state !== "committed") throw new AppError("NOT_FOUND", "No such file version.");
	await requireReadableNode(ctx, version.nodeId, access);
	return version;
}

/** A stored shard's bytes from the node holding it; UNAVAILABLE when that node fails. */
async function fetchPlaced(gateway: ShardGateway, placement: PlacementWithNode) {
	if (placement.state !== "stored") throw new AppError("NOT_FOUND", "This shard is not stored.");
	try {
		return await gateway.fetch(
			{ peerId: placement.node.peerId, addresses: placement.node.addresses },
			new Uint8Array(placement.root),
		);
	} catch (error) {
		throw new AppError("UNAVAILABLE", "The storage node holding this shard is unavailable.", {
			cause: error,
		});
	}
}

/**
 * Fetches one stored shard of a version the caller may read: any version of their own file,
 * or a committed version of a file shared with them or through a link.
 */
export async function fetchShard(
	ctx: Context,
	gateway: ShardGateway,
	{
		versionId,
		chunkIndex,
		shardIndex,
	}: { versionId: string; chunkIndex: number; shardIndex: number },
	access: ReadAccess,
): Promise<Uint8Array> {
	const address = { versionId, chunkIndex, shardIndex };
	const sharedPlacement = async () => {
		await requireReadableVersion(ctx, versionId, access);
		return ctx.db.shardPlacement.findFirst({ where: address, include: { node: true } });
	};
	const placement =
		access.via === "owner"
			? await ownPlacement({ ...ctx, userId: access.userId }, address)
			: await sharedPlacement();
	if (!placement) throw new AppError("NOT_FOUND", "This shard is not stored.");
	return fetchPlaced(gateway, placement);
}

/** What reading one listed shard of a chunk came to: its bytes, or why there are none. */
export type ShardRead =
	| { shardIndex: number; data: Uint8Array }
	| { shardIndex: number; error: AppError };

/**
 * Fetches the listed shards of one chunk of a version the caller may read (as `fetchShard`):
 * one access check and one placement lookup serve them all, and every node is asked at once.
 * Returns one pending read per listed shard, in the listed order, each settling on its own and
 * never rejecting: a shard not stored or a node unavailable is that shard's error, not the
 * request's. Throws (before any shard is asked for) only when the caller may not read the
 * version.
 */
export async function fetchChunkShards(
	ctx: Context,
	gateway: ShardGateway,
	{
		versionId,
		chunkIndex,
		shardIndices,
	}: { versionId: string; chunkIndex: number; shardIndices: readonly number[] },
	access: ReadAccess,
): Promise<Promise<ShardRead>[]> {
	let placements: Map<number, PlacementWithNode>;
	if (access.via === "owner") {
		placements = await ownChunkPlacements(
			{ ...ctx, userId: access.userId },
			{ versionId, chunkIndex },
		);
	} else {
		await requireReadableVersion(ctx, versionId, access);
		const found = await ctx.db.shardPlacement.findMany({
			where: { versionId, chunkIndex },
			include: { node: true },
		});
		placements = new Map(found.map((placement) => [placement.shardIndex, placement]));
	}
	return shardIndices.map(async (shardIndex): Promise<ShardRead> => {
		const placement = placements.get(shardIndex);
		try {
			if (!placement) throw new AppError("NOT_FOUND", "This shard is not stored.");
			return { shardIndex, data: await fetchPlaced(gateway, placement) };
		} catch (error) {
			return {
				shardIndex,
				error:
					error instanceof AppError
						? error
						: new AppError("INTERNAL", "Reading this shard failed.", { cause: error }),
			};
		}
	});
}

/** A file's committed versions, newest first, with which shards of each chunk are stored. */
export async function listVersions(
	ctx: Context,
	{ fileId }: { fileId: string },
	access: ReadAccess,
) {
	const node = await requireReadableNode(ctx, fileId, access);
	if (node.kind !== "file") throw new AppError("BAD_INPUT", "Folders have no versions.");
	const versions = await ctx.db.fileVersion.findMany({
		where: { nodeId: fileId, state: "committed" },
		orderBy: { seq: "desc" },
		include: {
			placements: { where: { state: "stored" }, select: { chunkIndex: true, shardIndex: true } },
		},
	});
	return versions.map((version) => ({
		id: version.id,
		seq: version.seq,
		size: Number(version.size),
		chunkSize: version.chunkSize,
		chunkCount: version.chunkCount,
		dataShards: version.dataShards,
		parityShards: version.parityShards,
		sealedManifest: version.sealedManifest as Uint8Array,
		committedAt: version.committedAt as Date,
		storedShards: version.placements,
	}));
}

/** Most interrupted uploads listed at once. */
export const MAX_PENDING_LISTED = 50;
/** Most chunks whose placements one `uploadState` call returns. */
export const MAX_STATE_CHUNKS = 256;

/**
 * The caller's uploads in this vault that stopped before committing, newest first, with what
 * the browser needs to continue them: the file's sealed name and wrapped key, the sealed
 * upload state, and how many chunks already have k + 1 shards stored.
 */
export async function listPendingUploads(ctx: UserContext, { vaultId }: { vaultId: string }) {
	await requireOwnVault(ctx.db, ctx.userId, vaultId);
	const versions = await ctx.db.fileVersion.findMany({
		where: {
			state: "uploading",
			authorId: ctx.userId,
			sealedUploadState: { not: null },
			node: { vaultId, trashedAt: null },
		},
		orderBy: { createdAt: "desc" },
		take: MAX_PENDING_LISTED,
		include: {
			node: {
				select: {
					parentId: true,
					sealedName: true,
					wrappedNodeKey: true,
					_count: { select: { versions: { where: { state: "committed" } } } },
				},
			},
		},
	});
	const stored = await ctx.db.shardPlacement.groupBy({
		by: ["versionId", "chunkIndex"],
		where: { versionId: { in: versions.map((version) => version.id) }, state: "stored" },
		_count: { _all: true },
	});
	return versions.map((version) => ({
		versionId: version.id,
		fileId: version.nodeId,
		parentId: version.node.parentId,
		sealedName: version.node.sealedName,
		wrappedNodeKey: version.node.wrappedNodeKey,
		newFile: version.node._count.versions === 0,
		size: Number(version.size),
		chunkSize: version.chunkSize,
		chunkCount: version.chunkCount,
		dataShards: version.dataShards,
		parityShards: version.parityShards,
		sealedUploadState: version.sealedUploadState as Uint8Array,
		startedAt: version.createdAt,
		chunksStored: stored.filter(
			(row) => row.versionId === version.id && row._count._all >= version.dataShards + 1,
		).length,
	}));
}

/** Placements of chunks `fromChunk` … `fromChunk + count − 1` of an upload in progress. */
export async function uploadState(
	ctx: UserContext,
	{ versionId, fromChunk, count }: { versionId: string; fromChunk: number; count: number },
) {
	const version = await requireOwnVersion(ctx, versionId);
	if (version.state !== "uploading")
		throw new AppError("CONFLICT", "This version is already committed.");
	if (count > MAX_STATE_CHUNKS)
		throw new AppError("BAD_INPUT", `Ask for at most ${MAX_STATE_CHUNKS} chunks at a time.`);
	return ctx.db.shardPlacement.findMany({
		where: { versionId, chunkIndex: { gte: fromChunk, lt: fromChunk + count } },
		orderBy: [{ chunkIndex: "asc" }, { shardIndex: "asc" }],
		select: { chunkIndex: true, shardIndex: true, root: true, size: true, state: true },
	});
}

/**
 * Gives up an upload that has not committed: forgets the version (and the file, when this was
 * its first version), then asks the nodes to delete the shards already stored (best effort:
 * a node that is down drops them when their lease expires).
 */
export async function abandonUpload(
	ctx: UserContext,
	{ versionId }: { versionId: string },
): Promise<void> {
	const version = await requireOwnVersion(ctx, versionId);
	if (version.state !== "uploading")
		throw new AppError("CONFLICT", "This version is already committed.");
	const placements = await ctx.db.shardPlacement.findMany({
		where: { versionId, state: "stored" },
		select: STORED_SHARD_FIELDS,
	});
	await ctx.db.$transaction(async (tx) => {
		await tx.fileVersion.delete({ where: { id: versionId } });
		if ((await tx.fileVersion.count({ where: { nodeId: version.nodeId } })) === 0)
			await tx.vaultNode.delete({ where: { id: version.nodeId } });
	});
	await releaseShards(ctx, placements);
}
