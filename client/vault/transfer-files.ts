// Uploading and downloading files in the browser (DESIGN §4–5). Upload: each chunk is read from
// the File, sealed (AES-256-GCM stream), erasure-coded into n shards with Merkle roots, placed,
// and sent through the gateway — the version commits once each chunk has k + 1 shards stored,
// with a signed, sealed manifest. Download: the manifest is opened and checked, k shards per
// chunk are fetched and checked against their roots, rebuilt, checked against the chunk
// address, and opened. Only one chunk is in memory at a time on either side.
import {
	createStreamOpener,
	deriveContentKey,
	fromBase64url,
	generateKey,
	type NodeKey,
	type SigningPublicKey,
	sealBox,
	toBase64url,
	utf8,
	wrapNodeKey,
} from "../../crypto";
import { shardRoot } from "../../crypto/merkle";
import { createErasureCoder, joinShards } from "../../p2p/erasure";
import type { UnlockedKeys } from "../account/account-keys";
import type { ApiClient } from "../api";
import { createChunkProcessor } from "./chunk-processor";
import type { FolderRef, VaultItem } from "./folder-tree";
import {
	chunkAddress,
	type Manifest,
	type ManifestChunk,
	openManifest,
	sealManifest,
} from "./manifest";
import type { OpenVault } from "./personal-vault";

/** Local network default (DESIGN §5): k = 4 of n = 6. */
export const DATA_SHARDS = 4;
export const PARITY_SHARDS = 2;
/** Plaintext per chunk: 4 MiB (DESIGN §4). */
export const CHUNK_SIZE = 4 * 2 ** 20;

const CSRF = { "x-coffre-request": "1" };

export class TransferError extends Error {
	override name = "TransferError";
}

export interface TransferProgress {
	/** Plaintext bytes done. */
	done: number;
	total: number;
}

async function sendShard(
	address: string,
	data: Uint8Array,
	signal?: AbortSignal,
): Promise<boolean> {
	const response = await fetch(address, {
		method: "PUT",
		body: new Uint8Array(data),
		headers: CSRF,
		credentials: "same-origin",
		signal,
	}).catch((error: unknown) => {
		if ((error as { name?: string }).name === "AbortError") throw error;
		return null;
	});
	return response?.ok ?? false;
}

/** Uploads `file` as a new file in `folder`, or as a new version of `existing`. */
export async function uploadFile(
	api: ApiClient,
	keys: UnlockedKeys,
	vault: OpenVault,
	folder: FolderRef,
	file: File,
	{
		existing,
		onProgress,
		signal,
	}: {
		existing?: VaultItem;
		onProgress?: (progress: TransferProgress) => void;
		signal?: AbortSignal;
	} = {},
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
			fileId,
			versionId,
			totalSize: file.size,
			chunkSize: CHUNK_SIZE,
			dataShards: DATA_SHARDS,
			parityShards: PARITY_SHARDS,
		});
		contentKey.wipe();
		await api.files.startUpload.mutate({
			vaultId: vault.id,
			fileId,
			parentId: existing ? existing.parentId : folder.id,
			newFile: existing
				? undefined
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
					},
			versionId,
			size: file.size,
			chunkSize: CHUNK_SIZE,
			chunkCount: sealer.chunkCount,
			dataShards: DATA_SHARDS,
			parityShards: PARITY_SHARDS,
		});
		const chunks: ManifestChunk[] = [];
		let done = 0;
		onProgress?.({ done, total: file.size });
		for (let index = 0; index < sealer.chunkCount; index++) {
			signal?.throwIfAborted();
			const start = index * CHUNK_SIZE;
			const length = Math.min(CHUNK_SIZE, file.size - start);
			const plaintext = new Uint8Array(
				await file.slice(start, start + Math.max(0, length)).arrayBuffer(),
			);
			const { address, sealedSize, shards, roots } = await processor.process(index, plaintext);
			await api.files.placeChunk.mutate({
				versionId,
				chunkIndex: index,
				shards: shards.map((shard, i) => ({
					root: toBase64url(roots[i] as Uint8Array),
					size: shard.length,
				})),
			});
			const results = await Promise.all(
				shards.map((shard, shardIndex) =>
					sendShard(`/api/chunks/${versionId}/${index}/${shardIndex}`, shard, signal),
				),
			);
			if (results.filter(Boolean).length < DATA_SHARDS + 1) {
				throw new TransferError(
					"Too few storage nodes accepted this file. Please try again in a moment.",
				);
			}
			chunks.push({
				address,
				sealedSize,
				shardRoots: roots.map((root) => toBase64url(root)),
				shardSize: shards[0]?.length ?? 0,
			});
			done += Math.max(0, length);
			onProgress?.({ done, total: file.size });
		}
		const manifest: Manifest = {
			v: 1,
			fileId,
			versionId,
			header: toBase64url(sealer.header),
			size: file.size,
			chunkSize: CHUNK_SIZE,
			dataShards: DATA_SHARDS,
			parityShards: PARITY_SHARDS,
			chunks,
			authorId: keys.userId,
			createdAt: Date.now(),
		};
		await api.files.commit.mutate({
			versionId,
			sealedManifest: toBase64url(sealManifest(manifest, nodeKey, keys.identity.signing)),
		});
		return { fileId, versionId };
	} finally {
		processor.close();
	}
}

export type FileVersionInfo = Awaited<ReturnType<ApiClient["files"]["versions"]["query"]>>[number];

async function fetchValidShard(
	address: string,
	root: Uint8Array,
	signal?: AbortSignal,
): Promise<Uint8Array | null> {
	const response = await fetch(address, { credentials: "same-origin", signal }).catch(() => null);
	if (!response?.ok) return null;
	const shard = new Uint8Array(await response.arrayBuffer());
	// Never trust the gateway or a node: the shard must hash to the root the manifest names.
	return toBase64url(shardRoot(shard)) === toBase64url(root) ? shard : null;
}

/** Downloads and opens one version; returns its plaintext as a Blob. */
export async function downloadVersion(
	item: VaultItem,
	version: FileVersionInfo,
	authorKey: SigningPublicKey,
	{
		onProgress,
		signal,
	}: { onProgress?: (progress: TransferProgress) => void; signal?: AbortSignal } = {},
): Promise<Blob> {
	const manifest = openManifest(fromBase64url(version.sealedManifest), item.key, {
		fileId: item.id,
		versionId: version.id,
		authorKey,
	});
	const opener = await createStreamOpener(
		deriveContentKey(item.key, version.id),
		fromBase64url(manifest.header),
		{
			fileId: item.id,
			versionId: version.id,
		},
	);
	const coder = createErasureCoder({
		dataShards: manifest.dataShards,
		parityShards: manifest.parityShards,
	});
	const parts: Uint8Array<ArrayBuffer>[] = [];
	let done = 0;
	onProgress?.({ done, total: manifest.size });
	for (const [index, chunk] of manifest.chunks.entries()) {
		signal?.throwIfAborted();
		const shards: (Uint8Array | null)[] = Array.from(
			{ length: manifest.dataShards + manifest.parityShards },
			() => null,
		);
		let valid = 0;
		const stored = version.storedShards
			.filter((shard) => shard.chunkIndex === index)
			.map((shard) => shard.shardIndex);
		for (const shardIndex of [...stored].sort((a, b) => a - b)) {
			if (valid >= manifest.dataShards) break;
			const root = fromBase64url(chunk.shardRoots[shardIndex] ?? "");
			const shard = await fetchValidShard(
				`/api/chunks/${version.id}/${index}/${shardIndex}`,
				root,
				signal,
			);
			if (shard) {
				shards[shardIndex] = shard;
				valid++;
			}
		}
		if (valid < manifest.dataShards)
			throw new TransferError(
				"Not enough storage nodes answered with valid data for this file. Please try again later.",
			);
		const sealed = joinShards(coder.reconstructData(shards), chunk.sealedSize);
		if (chunkAddress(sealed) !== chunk.address)
			throw new TransferError("A chunk of this file failed its integrity check.");
		const plaintext = await opener.openChunk(index, sealed);
		parts.push(plaintext);
		done += plaintext.length;
		onProgress?.({ done, total: manifest.size });
	}
	return new Blob(parts);
}
