// A file version's manifest cannot be moved, replayed or forged by the server (DESIGN §9.2–3):
// it opens only for the file and version it was sealed for, only with the author's signature,
// and any changed byte is refused.
import { describe, expect, it } from "vitest";
import { type Manifest, openManifest, sealManifest } from "../../client/vault/manifest";
import { generateIdentityKeys, generateKey } from "../../crypto";

const author = generateIdentityKeys();
const nodeKey = generateKey("NodeKey");

function manifest(overrides: Partial<Manifest> = {}): Manifest {
	return {
		v: 1,
		fileId: "11111111-1111-4111-8111-111111111111",
		versionId: "22222222-2222-4222-8222-222222222222",
		header: "AQ",
		size: 10,
		chunkSize: 4 * 2 ** 20,
		dataShards: 4,
		parityShards: 2,
		chunks: [
			{
				address: "A".repeat(43),
				sealedSize: 26,
				shardRoots: Array(6).fill("B".repeat(43)),
				shardSize: 7,
			},
		],
		authorId: "33333333-3333-4333-8333-333333333333",
		createdAt: 0,
		...overrides,
	};
}

const ids = (m: Manifest) => ({
	fileId: m.fileId,
	versionId: m.versionId,
	authorKey: author.signingPublicKey,
});

describe("file manifests", () => {
	it("open for their file and version with the author's key", () => {
		const original = manifest();
		expect(
			openManifest(sealManifest(original, nodeKey, author.signing), nodeKey, ids(original)),
		).toEqual(original);
	});

	it("refuse to open as another version (a replayed manifest)", () => {
		const original = manifest();
		const sealed = sealManifest(original, nodeKey, author.signing);
		expect(() =>
			openManifest(sealed, nodeKey, {
				...ids(original),
				versionId: "44444444-4444-4444-8444-444444444444",
			}),
		).toThrow(
			expect.objectContaining({
				name: "ManifestError",
				cause: expect.objectContaining({ name: "IntegrityError" }),
			}),
		);
	});

	it("refuse to open for another file", () => {
		const original = manifest();
		const sealed = sealManifest(original, nodeKey, author.signing);
		expect(() =>
			openManifest(sealed, nodeKey, {
				...ids(original),
				fileId: "55555555-5555-4555-8555-555555555555",
			}),
		).toThrow(expect.objectContaining({ name: "ManifestError" }));
	});

	it("refuse a manifest signed by someone else", () => {
		const original = manifest();
		const forger = generateIdentityKeys();
		const sealed = sealManifest(original, nodeKey, forger.signing);
		expect(() => openManifest(sealed, nodeKey, ids(original))).toThrow(
			expect.objectContaining({ name: "ManifestError" }),
		);
	});

	it("refuse a manifest whose chunk list does not match its size", () => {
		const lying = manifest({ size: 9 * 2 ** 20 });
		const sealed = sealManifest(lying, nodeKey, author.signing);
		expect(() => openManifest(sealed, nodeKey, ids(lying))).toThrow(
			expect.objectContaining({ name: "ManifestError" }),
		);
	});

	it("refuse to open under another file's key", () => {
		const original = manifest();
		const sealed = sealManifest(original, generateKey("NodeKey"), author.signing);
		expect(() => openManifest(sealed, nodeKey, ids(original))).toThrow(
			expect.objectContaining({
				name: "ManifestError",
				cause: expect.objectContaining({ name: "KeyCommitmentError" }),
			}),
		);
	});

	it("refuse every flipped byte", () => {
		const original = manifest();
		const sealed = sealManifest(original, nodeKey, author.signing);
		for (let index = 0; index < sealed.length; index += 7) {
			const tampered = Uint8Array.from(sealed);
			tampered[index] = (tampered[index] as number) ^ 0x01;
			expect(() => openManifest(tampered, nodeKey, ids(original))).toThrow(
				expect.objectContaining({ name: "ManifestError" }),
			);
		}
	});
});
