// The manifest of one file version (DESIGN §4): chunk count and sizes, each sealed chunk's
// address (SHA-256) and shard roots, k and n, the stream header, author and time. It is signed
// by the author's identity key and sealed under the file's NodeKey bound to file and version,
// so the server can neither read it nor replay it for another file or version.
import {
	fromBase64url,
	fromUtf8,
	type NodeKey,
	openBox,
	type SigningPublicKey,
	type SigningSecretKey,
	sealBox,
	sign,
	toBase64url,
	utf8,
	verifySignature,
} from "../../crypto";

export const MANIFEST_VERSION = 1;

export interface ManifestChunk {
	/** SHA-256 of the sealed chunk, base64url. */
	address: string;
	sealedSize: number;
	/** Merkle root of each shard, base64url, in shard order. */
	shardRoots: string[];
	shardSize: number;
}

export interface Manifest {
	v: typeof MANIFEST_VERSION;
	fileId: string;
	versionId: string;
	/** The sealed stream's header, base64url. */
	header: string;
	size: number;
	chunkSize: number;
	dataShards: number;
	parityShards: number;
	chunks: ManifestChunk[];
	authorId: string;
	createdAt: number;
}

export class ManifestError extends Error {
	override name = "ManifestError";
}

/** A sealed chunk's address: its SHA-256 (WebCrypto's native digest), base64url. */
export async function chunkAddress(sealedChunk: Uint8Array): Promise<string> {
	const digest = await globalThis.crypto.subtle.digest(
		"SHA-256",
		sealedChunk as Uint8Array<ArrayBuffer>,
	);
	return toBase64url(new Uint8Array(digest));
}

/** Signs and seals a manifest for storage. */
export function sealManifest(
	manifest: Manifest,
	nodeKey: NodeKey,
	signingKey: SigningSecretKey,
): Uint8Array<ArrayBuffer> {
	const body = utf8(JSON.stringify(manifest));
	const signature = sign(signingKey, "manifest", body);
	const plaintext = utf8(
		JSON.stringify({ body: toBase64url(body), signature: toBase64url(signature) }),
	);
	return sealBox({
		key: nodeKey,
		purpose: "manifest",
		boundTo: { node: manifest.fileId, version: manifest.versionId },
		plaintext,
	});
}

/**
 * Opens the sealed box of a manifest. Any failure — a box sealed for another version (a replay),
 * another file, another key, or changed bytes — becomes one ManifestError the UI can show; the
 * crypto error stays as its `cause`.
 */
function openEnvelope(
	sealed: Uint8Array,
	nodeKey: NodeKey,
	fileId: string,
	versionId: string,
): { body: string; signature: string } {
	try {
		return JSON.parse(
			fromUtf8(
				openBox({
					key: nodeKey,
					purpose: "manifest",
					boundTo: { node: fileId, version: versionId },
					box: sealed,
				}),
			),
		) as { body: string; signature: string };
	} catch (cause) {
		throw new ManifestError(
			"The file's manifest does not verify: it was altered, or it belongs to another file or version.",
			{ cause },
		);
	}
}

/**
 * Opens a sealed manifest and checks it: the box binds file and version, the author's
 * signature verifies, and the body names this file and version. Throws ManifestError on any
 * mismatch.
 */
export function openManifest(
	sealed: Uint8Array,
	nodeKey: NodeKey,
	{
		fileId,
		versionId,
		authorKey,
	}: { fileId: string; versionId: string; authorKey: SigningPublicKey },
): Manifest {
	const envelope = openEnvelope(sealed, nodeKey, fileId, versionId);
	const body = fromBase64url(envelope.body);
	if (!verifySignature(authorKey, "manifest", body, fromBase64url(envelope.signature))) {
		throw new ManifestError("The file's manifest is not signed by its author.");
	}
	const manifest = JSON.parse(fromUtf8(body)) as Manifest;
	if (
		manifest.v !== MANIFEST_VERSION ||
		manifest.fileId !== fileId ||
		manifest.versionId !== versionId
	) {
		throw new ManifestError("The file's manifest belongs to another file or version.");
	}
	const expectedChunks = Math.max(1, Math.ceil(manifest.size / manifest.chunkSize));
	if (manifest.chunks.length !== expectedChunks)
		throw new ManifestError("The file's manifest lists the wrong number of chunks.");
	return manifest;
}
