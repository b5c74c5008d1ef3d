// Uploading files from the browser (DESIGN §4–5). Each chunk is read from the File, sealed
// (AES-256-GCM stream) and erasure-coded into n shards with Merkle roots in a Web Worker, and sent
// through the gateway, which places the chunk with its first request; the version commits once
// every chunk has k + 1 shards stored, with a signed, sealed manifest. Network failures are retried
// patiently; an upload that still cannot go on stays on the server as interrupted and continues
// later from where it stopped: its chunks are sealed again under the recorded header, checked
// against the recorded shard roots, and only what is missing is sent. The worker seals the next
// chunk while the shards of the two before it are sent: never more than three chunks in memory.
import {
	deriveContentKey,
	generateKey,
	type NodeKey,
	sealBox,
	toBase64url,
	utf8,
	wrapNodeKey,
} from "../../crypto";
import type { UnlockedKeys } from "../account/account-keys";
import { type ApiClient, apiErrorCode } from "../api";
import { type ChunkProcessor, createChunkProcessor, type ProcessedChunk } from "./chunk-processor";
import type { ShardRefusal } from "./chunk-worker";
import { entryOf } from "./folder-state";
import { changeFolders } from "./folder-sync";
import {
	type FolderRef,
	folderChange,
	folderOfItem,
	openSealedNode,
	parentFolder,
	storedFieldsOf,
	type VaultItem,
} from "./folder-tree";
import { type Manifest, type ManifestChunk, sealManifest } from "./manifest";
import type { OpenVault } from "./personal-vault";
import {
	CHUNK_SIZE,
	DATA_SHARDS,
	PARITY_SHARDS,
	pause,
	RETRY_DELAYS_MS,
	TransferError,
	type TransferProgress,
	withRetries,
} from "./transfer-settings";
import { openUploadState, sealUploadState, type UploadState } from "./upload-state";

/** Chunks whose shards are sent at once: the next one's fill connections the last ones free. */
const SENDING_CHUNKS = 2;
/** Chunks whose recorded placements one `uploadState` call returns (the server's maximum). */
const STATE_WINDOW = 256;

export interface UploadOptions {
	onProgress?: (progress: TransferProgress) => void;
	signal?: AbortSignal;
}

/** An upload that stopped before it committed, opened in this browser. */
export interface PendingUpload {
	versionId: string;
	fileId: string;
	parentId: string | null;
	/** The file's name in the vault. */
	name: string;
	/** The file's name and key as stored (its folder's state records them). */
	sealedName: string;
	wrappedNodeKey: string;
	key: NodeKey;
	/** True when this would be the file's first version. */
	newFile: boolean;
	size: number;
	chunkSize: number;
	chunkCount: number;
	chunksStored: number;
	dataShards: number;
	parityShards: number;
	startedAt: Date;
	state: UploadState;
}

interface UploadPlan {
	api: ApiClient;
	keys: UnlockedKeys;
	processor: ChunkProcessor;
	file: File;
	fileId: string;
	versionId: string;
	nodeKey: NodeKey;
	header: Uint8Array;
	chunkSize: number;
	chunkCount: number;
	dataShards: number;
	parityShards: number;
	resuming: boolean;
	/** Where the file is listed: the commit also saves its folder's next state. */
	listing: {
		vault: OpenVault;
		folder: FolderRef;
		sealedName: string;
		wrappedNodeKey: string;
	};
}

/** What a person reads when the gateway refuses a shard for good. */
function refusalError({ status, message }: ShardRefusal): TransferError {
	if (status === 401)
		return new TransferError(
			"You were signed out, so the upload stopped. Sign in again and resume it: it is kept as an interrupted upload.",
		);
	return new TransferError(`The server refused this upload: ${message}`);
}

/**
 * Sends the shards of one chunk not stored yet (the worker holds them), again and again after
 * failures, until k + 1 are stored (repair tops up the rest later).
 */
async function storeShards(
	plan: UploadPlan,
	index: number,
	stored: Set<number>,
	{ signal, onWaiting }: { signal?: AbortSignal; onWaiting: (waiting: boolean) => void },
) {
	const total = plan.dataShards + plan.parityShards;
	for (let tries = 0; ; tries++) {
		signal?.throwIfAborted();
		const missing = Array.from({ length: total }, (_, shardIndex) => shardIndex).filter(
			(shardIndex) => !stored.has(shardIndex),
		);
		const { stored: accepted, refused } = await plan.processor.send(index, missing);
		for (const shardIndex of accepted) stored.add(shardIndex);
		signal?.throwIfAborted();
		if (refused) throw refusalError(refused);
		if (stored.size >= plan.dataShards + 1) return;
		const delay = RETRY_DELAYS_MS[tries];
		if (delay === undefined) {
			throw new TransferError(
				"The upload paused: too few storage nodes accepted this file. It is kept as an interrupted upload — resume it when the network is back.",
			);
		}
		onWaiting(true);
		await pause(delay, signal);
		onWaiting(false);
	}
}

type RecordedPlacement = Awaited<ReturnType<ApiClient["files"]["uploadState"]["query"]>>[number];

/** The placements the server recorded for chunks `from` … `from + STATE_WINDOW − 1`. */
async function recordedPlacements(api: ApiClient, versionId: string, from: number) {
	const rows = await api.files.uploadState.query({
		versionId,
		fromChunk: from,
		count: STATE_WINDOW,
	});
	const byChunk = new Map<number, RecordedPlacement[]>();
	for (const row of rows)
		byChunk.set(row.chunkIndex, [...(byChunk.get(row.chunkIndex) ?? []), row]);
	return byChunk;
}

/** Sends every chunk not stored yet, then commits the signed, sealed manifest. */
async function sendAndCommit(
	plan: UploadPlan,
	{ onProgress, signal }: UploadOptions,
): Promise<{ fileId: string; versionId: string }> {
	const { api, file, chunkSize, versionId } = plan;
	const retry = {
		signal,
		onWaiting: (waiting: boolean) => onProgress?.({ done, total: file.size, waiting }),
	};
	const chunks: ManifestChunk[] = [];
	let recorded = new Map<number, RecordedPlacement[]>();
	let done = 0;
	onProgress?.({ done, total: file.size });
	const lengthOf = (index: number) =>
		Math.max(0, Math.min(chunkSize, file.size - index * chunkSize));
	// The worker seals and codes the next chunk while earlier ones' shards travel; at most
	// SENDING_CHUNKS chunks are being sent, so the worker holds at most that many plus one.
	const prepare = (index: number) => plan.processor.process(index);
	// Stopping aborts the shard requests in flight, so a cancelled upload ends at once.
	const cancelRequests = () => void plan.processor.cancel().catch(() => {});
	signal?.addEventListener("abort", cancelRequests, { once: true });
	const sending: Promise<void>[] = [];
	let upcoming: Promise<ProcessedChunk> | undefined = prepare(0);
	try {
		for (let index = 0; index < plan.chunkCount; index++) {
			signal?.throwIfAborted();
			if (plan.resuming && index % STATE_WINDOW === 0)
				recorded = await withRetries(() => recordedPlacements(api, versionId, index), retry);
			const processed = await (upcoming as Promise<ProcessedChunk>);
			upcoming = index + 1 < plan.chunkCount ? prepare(index + 1) : undefined;
			const roots = processed.roots.map((root) => toBase64url(root));
			const earlier = recorded.get(index) ?? [];
			// A chunk sealed again must be byte-identical to the one placed before (same nonce):
			// different roots mean the file changed, and nothing of it may be sent.
			if (earlier.some((placement) => placement.root !== roots[placement.shardIndex])) {
				throw new TransferError(
					"This file changed since its upload was interrupted, so the upload cannot continue. Discard the interrupted upload and upload the file again.",
				);
			}
			chunks[index] = {
				address: processed.address,
				sealedSize: processed.sealedSize,
				shardRoots: roots,
				shardSize: processed.shardSize,
			};
			const stored = new Set(earlier.filter((p) => p.stored).map((p) => p.shardIndex));
			const send = async () => {
				// The request that sends the shards also places the chunk (or finds the placement
				// made before an interruption, for the same shards).
				if (stored.size < plan.dataShards + 1) await storeShards(plan, index, stored, retry);
				await plan.processor.release(index);
				done += lengthOf(index);
				onProgress?.({ done, total: file.size });
			};
			const job = send();
			// A failure surfaces when this job is awaited below, never as unhandled.
			job.catch(() => {});
			sending.push(job);
			if (sending.length >= SENDING_CHUNKS) await sending.shift();
		}
		while (sending.length > 0) await sending.shift();
	} finally {
		signal?.removeEventListener("abort", cancelRequests);
		// A chunk prepared ahead of a failure is dropped, and must not surface as unhandled.
		upcoming?.catch(() => {});
	}
	const manifest: Manifest = {
		v: 1,
		fileId: plan.fileId,
		versionId,
		header: toBase64url(plan.header),
		size: file.size,
		chunkSize,
		dataShards: plan.dataShards,
		parityShards: plan.parityShards,
		chunks,
		authorId: plan.keys.userId,
		createdAt: Date.now(),
	};
	const sealedManifest = toBase64url(
		sealManifest(manifest, plan.nodeKey, plan.keys.identity.signing),
	);
	const { vault, folder, sealedName, wrappedNodeKey } = plan.listing;
	const entry = entryOf({
		id: plan.fileId,
		kind: "file",
		sealedName,
		wrappedNodeKey,
		headVersionId: versionId,
	});
	await changeFolders(
		api,
		vault,
		[folderChange(api, vault, folder, (entries) => entries.set(plan.fileId, entry))],
		(states) =>
			withRetries(
				() => api.files.commit.mutate({ versionId, sealedManifest, states }),
				retry,
			).catch(async (error: unknown) => {
				// Tried again after its answer was lost: the first try had already committed it.
				if (apiErrorCode(error) === "CONFLICT" && (await isCommitted(api, plan.fileId, versionId)))
					return;
				throw error;
			}),
	);
	return { fileId: plan.fileId, versionId };
}

async function isCommitted(api: ApiClient, fileId: string, versionId: string): Promise<boolean> {
	const versions = await api.files.versions.query({ fileId });
	return versions.some((version) => version.id === versionId);
}

/** Uploads `file` as a new file in `folder`, or as a new version of `existing`. */
export async function uploadFile(
	api: ApiClient,
	keys: UnlockedKeys,
	vault: OpenVault,
	folder: FolderRef,
	file: File,
	{ existing, ...options }: UploadOptions & { existing?: VaultItem } = {},
): Promise<{ fileId: string; versionId: string }> {
	const fileId = existing?.id ?? crypto.randomUUID();
	const nodeKey: NodeKey = existing?.key ?? generateKey("NodeKey");
	const versionId = crypto.randomUUID();
	const parent = folder.id ?? vault.id;
	const processor = createChunkProcessor();
	try {
		const contentKey = deriveContentKey(nodeKey, versionId);
		const sealer = await processor.start({
			kind: "start",
			contentKey: contentKey.exportBytes(),
			file,
			fileId,
			versionId,
			totalSize: file.size,
			chunkSize: CHUNK_SIZE,
			dataShards: DATA_SHARDS,
			parityShards: PARITY_SHARDS,
		});
		contentKey.wipe();
		const state = {
			header: sealer.header,
			name: file.name,
			size: file.size,
			lastModified: file.lastModified,
		};
		const stored = existing
			? storedFieldsOf(existing)
			: {
					sealedName: toBase64url(
						sealBox({
							key: nodeKey,
							purpose: "node-name",
							boundTo: { node: fileId, parent },
							plaintext: utf8(file.name),
						}),
					),
					wrappedNodeKey: toBase64url(
						wrapNodeKey(nodeKey, folder.key, { nodeId: fileId, parentId: parent }),
					),
				};
		const listingFolder =
			existing && existing.parentId !== folder.id
				? await folderOfItem(api, vault, existing)
				: folder;
		await withRetries(
			() =>
				api.files.startUpload.mutate({
					vaultId: vault.id,
					fileId,
					parentId: existing ? existing.parentId : folder.id,
					newFile: existing ? undefined : stored,
					versionId,
					sealedUploadState: sealUploadState(state, nodeKey, { fileId, versionId }),
					size: file.size,
					chunkSize: CHUNK_SIZE,
					chunkCount: sealer.chunkCount,
					dataShards: DATA_SHARDS,
					parityShards: PARITY_SHARDS,
				}),
			{ signal: options.signal },
		);
		return await sendAndCommit(
			{
				api,
				keys,
				processor,
				file,
				fileId,
				versionId,
				nodeKey,
				header: sealer.header,
				chunkSize: CHUNK_SIZE,
				chunkCount: sealer.chunkCount,
				dataShards: DATA_SHARDS,
				parityShards: PARITY_SHARDS,
				resuming: false,
				listing: { vault, folder: listingFolder, ...stored },
			},
			options,
		);
	} finally {
		processor.close();
	}
}

/**
 * The uploads of this vault that stopped before committing, opened here; those whose key,
 * name or record does not verify are only counted.
 */
export async function listPendingUploads(
	api: ApiClient,
	vault: OpenVault,
): Promise<{ uploads: PendingUpload[]; unverifiable: number }> {
	const rows = await api.files.pendingUploads.query({ vaultId: vault.id });
	const uploads: PendingUpload[] = [];
	let unverifiable = 0;
	for (const row of rows) {
		try {
			const { key, name } = await openSealedNode(api, vault, { ...row, id: row.fileId });
			const state = openUploadState(row.sealedUploadState, key, row);
			if (state.size !== row.size) throw new TransferError("sizes differ");
			uploads.push({ ...row, name, key, state });
		} catch {
			unverifiable++;
		}
	}
	return { uploads, unverifiable };
}

/** Continues an interrupted upload with the same file, from where it stopped. */
export async function resumeUpload(
	api: ApiClient,
	keys: UnlockedKeys,
	vault: OpenVault,
	pending: PendingUpload,
	file: File,
	options: UploadOptions = {},
): Promise<{ fileId: string; versionId: string }> {
	if (file.size !== pending.state.size || file.lastModified !== pending.state.lastModified) {
		throw new TransferError(
			`“${file.name}” is not the file whose upload was interrupted. Pick “${pending.state.name}” as it was then, or discard the interrupted upload.`,
		);
	}
	const processor = createChunkProcessor();
	try {
		const contentKey = deriveContentKey(pending.key, pending.versionId);
		const sealer = await processor.start({
			kind: "start",
			contentKey: contentKey.exportBytes(),
			file,
			fileId: pending.fileId,
			versionId: pending.versionId,
			totalSize: pending.size,
			chunkSize: pending.chunkSize,
			dataShards: pending.dataShards,
			parityShards: pending.parityShards,
			header: pending.state.header,
		});
		contentKey.wipe();
		if (sealer.chunkCount !== pending.chunkCount)
			throw new TransferError("This interrupted upload's record does not match its file.");
		return await sendAndCommit(
			{
				api,
				keys,
				processor,
				file,
				fileId: pending.fileId,
				versionId: pending.versionId,
				nodeKey: pending.key,
				header: sealer.header,
				chunkSize: pending.chunkSize,
				chunkCount: pending.chunkCount,
				dataShards: pending.dataShards,
				parityShards: pending.parityShards,
				resuming: true,
				listing: {
					vault,
					folder: await parentFolder(api, vault, pending.parentId),
					sealedName: pending.sealedName,
					wrappedNodeKey: pending.wrappedNodeKey,
				},
			},
			options,
		);
	} finally {
		processor.close();
	}
}

/** Gives an interrupted upload up: the server forgets it and the nodes delete its shards. */
export async function discardUpload(api: ApiClient, pending: PendingUpload): Promise<void> {
	await api.files.abandonUpload.mutate({ versionId: pending.versionId });
}
