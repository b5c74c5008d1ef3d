// Sealed stream (DESIGN §4): random-access and web-stream round trips for every awkward size,
// the STREAM nonce and header layout, every flipped byte of the header and of a sealed chunk
// refused with a typed error, and the stream attacks — reorder, truncate, extend, drop the last
// chunk, swap chunks across files or versions, wrong key. Small 1 KiB chunks keep it fast.
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ContentKey } from "../../crypto/index";
import {
	chunkCountFor,
	concatBytes,
	createOpenStream,
	createSealStream,
	createStreamOpener,
	createStreamSealer,
	deriveContentKey,
	generateKey,
	MIN_CHUNK_SIZE,
	resumeStreamSealer,
} from "../../crypto/index";

const CHUNK = MIN_CHUNK_SIZE; // 1 KiB
const nodeKey = generateKey("NodeKey");
const ids = { fileId: "file-1", versionId: "ver-1" };
const contentKey = deriveContentKey(nodeKey, ids.versionId);

function pseudoRandom(size: number, seed = 1): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(size);
	let x = seed * 2654435761;
	for (let i = 0; i < size; i++) {
		x = (x * 1103515245 + 12345) >>> 0;
		out[i] = x >>> 24;
	}
	return out;
}

/** Feeds `bytes` into a stream in pieces of the given sizes (cycled) and collects the output. */
async function pipe(
	stream: TransformStream<Uint8Array, Uint8Array>,
	bytes: Uint8Array,
	pieceSizes: number[] = [bytes.length || 1],
): Promise<Uint8Array[]> {
	const input = new ReadableStream<Uint8Array>({
		start(controller) {
			let offset = 0;
			let i = 0;
			while (offset < bytes.length) {
				const size = Math.max(1, pieceSizes[i++ % pieceSizes.length] as number);
				controller.enqueue(bytes.slice(offset, offset + size));
				offset += size;
			}
			controller.close();
		},
	});
	const outputs: Uint8Array[] = [];
	await input.pipeThrough(stream).pipeTo(
		new WritableStream({
			write(chunk) {
				outputs.push(chunk);
			},
		}),
	);
	return outputs;
}

async function sealAll(
	plaintext: Uint8Array,
	key: ContentKey = contentKey,
	params: { fileId: string; versionId: string } = ids,
): Promise<{ header: Uint8Array; chunks: Uint8Array[] }> {
	const sealer = await createStreamSealer(key, {
		...params,
		totalSize: plaintext.length,
		chunkSize: CHUNK,
	});
	const chunks: Uint8Array[] = [];
	for (let i = 0; i < sealer.chunkCount; i++) {
		const start = i * CHUNK;
		chunks.push(
			await sealer.sealChunk(i, plaintext.subarray(start, start + sealer.plaintextLength(i))),
		);
	}
	return { header: sealer.header, chunks };
}

async function openAll(
	parts: Uint8Array[],
	key: ContentKey = contentKey,
	expected = ids,
): Promise<Uint8Array> {
	return concatBytes(
		...(await pipe(createOpenStream(key, expected), concatBytes(...parts), [700, 1300, 64])),
	);
}

async function failure(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		return (error as Error).name;
	}
	return "no error";
}

const sizes = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 17];

describe("sealed stream: round trips", () => {
	it.each(sizes)("random access seal/open of %i bytes", async (size) => {
		const plaintext = pseudoRandom(size, size);
		const { header, chunks } = await sealAll(plaintext);
		expect(chunks.length).toBe(chunkCountFor(size, CHUNK));
		const opener = await createStreamOpener(contentKey, header, ids);
		const opened = await Promise.all(chunks.map((chunk, i) => opener.openChunk(i, chunk)));
		expect(concatBytes(...opened)).toEqual(plaintext);
	});

	it.each(sizes)("web streams seal/open of %i bytes, input split unevenly", async (size) => {
		const plaintext = pseudoRandom(size, size + 7);
		const sealer = await createStreamSealer(contentKey, {
			...ids,
			totalSize: size,
			chunkSize: CHUNK,
		});
		const sealed = await pipe(createSealStream(sealer), plaintext, [333, 1024, 1, 2000]);
		expect(sealed[0]).toEqual(sealer.header);
		expect(sealed.length).toBe(1 + sealer.chunkCount);
		for (let i = 0; i < sealer.chunkCount; i++)
			expect(sealed[i + 1]?.length).toBe(sealer.sealedLength(i));
		expect(await openAll(sealed)).toEqual(plaintext);
	});

	it("a 0-byte file is a header and one empty last chunk (16-byte tag)", async () => {
		const { header, chunks } = await sealAll(new Uint8Array(0));
		expect(chunks.map((c) => c.length)).toEqual([16]);
		expect(await openAll([header, ...chunks])).toEqual(new Uint8Array(0));
	});

	it("opens a stream whose header arrives byte by byte, or together with all chunks in one piece", async () => {
		const plaintext = pseudoRandom(2 * CHUNK + 9, 11);
		const { header, chunks } = await sealAll(plaintext);
		const sealed = concatBytes(header, ...chunks);
		const byteByByte = await pipe(createOpenStream(contentKey, ids), sealed, [
			...Array.from({ length: header.length - 1 }, () => 1),
			sealed.length,
		]);
		expect(concatBytes(...byteByByte)).toEqual(plaintext);
		const onePiece = await pipe(createOpenStream(contentKey, ids), sealed);
		expect(onePiece.map((chunk) => chunk.length)).toEqual([CHUNK, CHUNK, 9]);
		expect(concatBytes(...onePiece)).toEqual(plaintext);
	});

	it("round-trips random sizes and random input splits (property)", async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 0, max: 5 * CHUNK + 3 }),
				fc.array(fc.integer({ min: 1, max: 3 * CHUNK }), { minLength: 1, maxLength: 5 }),
				async (size, splits) => {
					const plaintext = pseudoRandom(size, size + splits.length);
					const sealer = await createStreamSealer(contentKey, {
						...ids,
						totalSize: size,
						chunkSize: CHUNK,
					});
					const sealed = concatBytes(...(await pipe(createSealStream(sealer), plaintext, splits)));
					const opened = await pipe(createOpenStream(contentKey, ids), sealed, splits.toReversed());
					expect(concatBytes(...opened)).toEqual(plaintext);
				},
			),
			{ numRuns: 40 },
		);
	});

	it("uses the documented STREAM construction: AES-256-GCM, nonce = 11-byte index ‖ last flag, AD = SHA-256(header)", async () => {
		const plaintext = pseudoRandom(2 * CHUNK + 5);
		const { header, chunks } = await sealAll(plaintext);
		const idLength = 1 + 1 + ids.fileId.length + 1 + ids.versionId.length + 4 + 8;
		const salt = header.subarray(idLength, idLength + 32);
		const okm = hkdf(
			sha256,
			contentKey.exportBytes(),
			salt,
			new TextEncoder().encode("coffre/stream/v1"),
			64,
		);
		const aes = await crypto.subtle.importKey("raw", okm.slice(0, 32), "AES-GCM", false, [
			"decrypt",
		]);
		const ad = sha256(header);
		for (let i = 0; i < chunks.length; i++) {
			const iv = new Uint8Array(12);
			iv[10] = i;
			iv[11] = i === chunks.length - 1 ? 1 : 0;
			const out = await crypto.subtle.decrypt(
				{ name: "AES-GCM", iv, additionalData: ad },
				aes,
				chunks[i] as Uint8Array<ArrayBuffer>,
			);
			expect(new Uint8Array(out)).toEqual(plaintext.subarray(i * CHUNK, (i + 1) * CHUNK));
		}
	});

	it("sealing the same version twice uses a fresh salt, so no AES key and nonce pair repeats", async () => {
		const a = await sealAll(pseudoRandom(10));
		const b = await sealAll(pseudoRandom(10));
		expect(a.header).not.toEqual(b.header);
		expect(a.chunks[0]).not.toEqual(b.chunks[0]);
	});
});

describe("sealed stream: tampering", () => {
	it("every flipped byte of every header field is refused with a typed error", async () => {
		const { header } = await sealAll(pseudoRandom(CHUNK + 3));
		const fileIdEnd = 2 + ids.fileId.length;
		const versionIdEnd = fileIdEnd + 1 + ids.versionId.length;
		const field = (i: number) => {
			if (i === 0) return "version";
			if (i === 1 || i === fileIdEnd) return "length";
			if (i < versionIdEnd) return "id";
			if (i < versionIdEnd + 4) return "chunk size";
			if (i < versionIdEnd + 12) return "total size";
			return "salt or commitment";
		};
		const allowed: Record<string, string[]> = {
			version: ["UnsupportedVersionError"],
			length: ["FormatError", "KeyCommitmentError"],
			id: ["KeyCommitmentError"],
			"chunk size": ["FormatError", "KeyCommitmentError"],
			"total size": ["FormatError", "KeyCommitmentError"],
			"salt or commitment": ["KeyCommitmentError"],
		};
		for (let i = 0; i < header.length; i++) {
			for (const bit of [0x01, 0x80]) {
				const tampered = Uint8Array.from(header);
				tampered[i] = (tampered[i] as number) ^ bit;
				const name = await failure(createStreamOpener(contentKey, tampered, ids));
				expect(allowed[field(i)], `header byte ${i} (${field(i)}) gave ${name}`).toContain(name);
			}
		}
	});

	it("every flipped byte of a sealed chunk (ciphertext and tag) gives IntegrityError", async () => {
		const { header, chunks } = await sealAll(pseudoRandom(CHUNK + 40));
		const opener = await createStreamOpener(contentKey, header, ids);
		for (const index of [0, 1]) {
			const chunk = chunks[index] as Uint8Array;
			for (let i = 0; i < chunk.length; i++) {
				const tampered = Uint8Array.from(chunk);
				tampered[i] = (tampered[i] as number) ^ (1 << (i % 8));
				expect(await failure(opener.openChunk(index, tampered)), `chunk ${index} byte ${i}`).toBe(
					"IntegrityError",
				);
			}
		}
	});

	it("a tampered chunk inside a stream errors the stream before its plaintext is released", async () => {
		const plaintext = pseudoRandom(3 * CHUNK);
		const { header, chunks } = await sealAll(plaintext);
		const bad = Uint8Array.from(chunks[1] as Uint8Array);
		bad[5] = (bad[5] as number) ^ 1;
		const released: Uint8Array[] = [];
		const result = failure(
			new ReadableStream({
				start(controller) {
					controller.enqueue(
						concatBytes(header, chunks[0] as Uint8Array, bad, chunks[2] as Uint8Array),
					);
					controller.close();
				},
			})
				.pipeThrough(createOpenStream(contentKey, ids))
				.pipeTo(new WritableStream({ write: (c) => void released.push(c) })),
		);
		expect(await result).toBe("IntegrityError");
		expect(concatBytes(...released).length).toBeLessThanOrEqual(CHUNK);
	});
});

describe("sealed stream: attacks", () => {
	const plaintext = pseudoRandom(3 * CHUNK + 100, 99);

	it("reordered chunks fail", async () => {
		const { header, chunks } = await sealAll(plaintext);
		const [c0, c1, c2, c3] = chunks as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
		expect(await failure(openAll([header, c1, c0, c2, c3]))).toBe("IntegrityError");
		const opener = await createStreamOpener(contentKey, header, ids);
		expect(await failure(opener.openChunk(0, c1))).toBe("IntegrityError");
	});

	it("a stream truncated inside a chunk, or at a chunk boundary, fails", async () => {
		const { header, chunks } = await sealAll(plaintext);
		const whole = concatBytes(header, ...chunks);
		expect(await failure(openAll([whole.subarray(0, whole.length - 1)]))).toBe(
			"TruncatedStreamError",
		);
		expect(await failure(openAll([header, ...chunks.slice(0, 2)]))).toBe("TruncatedStreamError");
		expect(await failure(openAll([header.subarray(0, 10)]))).toBe("TruncatedStreamError");
		expect(await failure(openAll([]))).toBe("TruncatedStreamError");
	});

	it("dropping the last chunk fails, even when the previous chunk is re-presented as the last one", async () => {
		const { header, chunks } = await sealAll(pseudoRandom(3 * CHUNK, 5));
		expect(await failure(openAll([header, ...chunks.slice(0, 2)]))).toBe("TruncatedStreamError");
		const opener = await createStreamOpener(contentKey, header, ids);
		// Chunk 1 sealed as "not last" never opens in the last position.
		expect(await failure(opener.openChunk(2, chunks[1] as Uint8Array))).toBe("IntegrityError");
	});

	it("extending a stream after its last chunk fails, with extra bytes or a repeated chunk", async () => {
		const { header, chunks } = await sealAll(plaintext);
		expect(await failure(openAll([header, ...chunks, new Uint8Array(1)]))).toBe(
			"TrailingDataError",
		);
		expect(await failure(openAll([header, ...chunks, chunks[0] as Uint8Array]))).toBe(
			"TrailingDataError",
		);
		const empty = await sealAll(new Uint8Array(0));
		expect(await failure(openAll([empty.header, ...empty.chunks, new Uint8Array(1)]))).toBe(
			"TrailingDataError",
		);
	});

	it("chunks swapped in from another file or another version fail", async () => {
		const mine = await sealAll(plaintext);
		const otherVersionKey = deriveContentKey(nodeKey, "ver-2");
		const otherVersion = await sealAll(plaintext, otherVersionKey, {
			fileId: ids.fileId,
			versionId: "ver-2",
		});
		const otherFile = await sealAll(plaintext, contentKey, {
			fileId: "file-2",
			versionId: ids.versionId,
		});
		const opener = await createStreamOpener(contentKey, mine.header, ids);
		for (const other of [otherVersion, otherFile]) {
			expect(await failure(opener.openChunk(1, other.chunks[1] as Uint8Array))).toBe(
				"IntegrityError",
			);
			const mixed = [
				mine.header,
				mine.chunks[0],
				other.chunks[1],
				mine.chunks[2],
				mine.chunks[3],
			] as Uint8Array[];
			expect(await failure(openAll(mixed))).toBe("IntegrityError");
		}
		// Even sealed under the same key, another file's header is refused for this file id.
		expect(await failure(createStreamOpener(contentKey, otherFile.header, ids))).toBe(
			"IntegrityError",
		);
		expect(await failure(createStreamOpener(contentKey, otherVersion.header, ids))).toBe(
			"KeyCommitmentError",
		);
	});

	it("a wrong key fails at the header commitment", async () => {
		const { header, chunks } = await sealAll(plaintext);
		const wrongKey = deriveContentKey(generateKey("NodeKey"), ids.versionId);
		expect(await failure(createStreamOpener(wrongKey, header, ids))).toBe("KeyCommitmentError");
		expect(await failure(openAll([header, ...chunks], wrongKey))).toBe("KeyCommitmentError");
	});

	it("the seal stream refuses input longer or shorter than the declared size", async () => {
		const sealer = await createStreamSealer(contentKey, {
			...ids,
			totalSize: 100,
			chunkSize: CHUNK,
		});
		expect(await failure(pipe(createSealStream(sealer), pseudoRandom(101)))).toBe("FormatError");
		const sealer2 = await createStreamSealer(contentKey, {
			...ids,
			totalSize: 100,
			chunkSize: CHUNK,
		});
		expect(await failure(pipe(createSealStream(sealer2), pseudoRandom(99)))).toBe("FormatError");
	});

	it("a sealer refuses to seal the same chunk twice (it would reuse a GCM nonce)", async () => {
		const sealer = await createStreamSealer(contentKey, {
			...ids,
			totalSize: 2 * CHUNK,
			chunkSize: CHUNK,
		});
		await sealer.sealChunk(0, pseudoRandom(CHUNK, 1));
		expect(await failure(sealer.sealChunk(0, pseudoRandom(CHUNK, 2)))).toBe("MisuseError");
		expect((await sealer.sealChunk(1, pseudoRandom(CHUNK, 3))).length).toBe(CHUNK + 16);
	});

	it("a resumed sealer reproduces the interrupted upload's chunks byte for byte, for its header only", async () => {
		const total = 3 * CHUNK - 5;
		const sealer = await createStreamSealer(contentKey, {
			...ids,
			totalSize: total,
			chunkSize: CHUNK,
		});
		const first = await sealer.sealChunk(0, pseudoRandom(CHUNK, 1));
		const resumed = await resumeStreamSealer(contentKey, sealer.header, ids);
		expect(resumed.header).toEqual(sealer.header);
		expect(await resumed.sealChunk(0, pseudoRandom(CHUNK, 1))).toEqual(first);
		const rest = [
			await resumed.sealChunk(1, pseudoRandom(CHUNK, 2)),
			await resumed.sealChunk(2, pseudoRandom(CHUNK - 5, 3)),
		];
		const opened = await openAll([sealer.header, first, ...rest]);
		expect(opened).toEqual(
			concatBytes(pseudoRandom(CHUNK, 1), pseudoRandom(CHUNK, 2), pseudoRandom(CHUNK - 5, 3)),
		);
		expect(await failure(resumed.sealChunk(0, pseudoRandom(CHUNK, 1)))).toBe("MisuseError");
		const wrongKey = deriveContentKey(generateKey("NodeKey"), ids.versionId);
		expect(await failure(resumeStreamSealer(wrongKey, sealer.header, ids))).toBe(
			"KeyCommitmentError",
		);
		expect(
			await failure(resumeStreamSealer(contentKey, sealer.header, { ...ids, versionId: "ver-2" })),
		).toBe("IntegrityError");
	});

	it("refuses chunk sizes outside 1 KiB..64 MiB, wrong chunk indexes and wrong plaintext lengths", async () => {
		expect(
			await failure(createStreamSealer(contentKey, { ...ids, totalSize: 1, chunkSize: 1023 })),
		).toBe("FormatError");
		expect(
			await failure(
				createStreamSealer(contentKey, { ...ids, totalSize: 1, chunkSize: 2 ** 26 + 1 }),
			),
		).toBe("FormatError");
		const sealer = await createStreamSealer(contentKey, {
			...ids,
			totalSize: 10,
			chunkSize: CHUNK,
		});
		expect(await failure(sealer.sealChunk(1, new Uint8Array(0)))).toBe("FormatError");
		expect(await failure(sealer.sealChunk(0, new Uint8Array(9)))).toBe("FormatError");
	});
});

describe("sealed stream: bounded memory", () => {
	it("seal and open stop reading input while the consumer does not take output (backpressure)", async () => {
		const total = 64 * CHUNK;
		const sealer = await createStreamSealer(contentKey, {
			...ids,
			totalSize: total,
			chunkSize: CHUNK,
		});
		let pulled = 0;
		const source = new ReadableStream<Uint8Array>(
			{
				pull(controller) {
					if (pulled >= total) return controller.close();
					controller.enqueue(new Uint8Array(CHUNK / 2));
					pulled += CHUNK / 2;
				},
			},
			{ highWaterMark: 0 },
		);
		let release: () => void = () => {};
		const stalled = new Promise<void>((resolve) => {
			release = resolve;
		});
		let written = 0;
		const done = source
			.pipeThrough(createSealStream(sealer))
			.pipeThrough(createOpenStream(contentKey, ids))
			.pipeTo(
				new WritableStream<Uint8Array>({
					async write(chunk) {
						written += chunk.length;
						await stalled;
					},
				}),
			);
		const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
		for (let i = 0; i < 500 && written === 0; i++) await sleep(10);
		await sleep(50);
		// The sink holds chunk 0; the stages read ahead by about one chunk (2.5 chunks read in
		// all today), never the whole input.
		expect(written).toBe(CHUNK);
		expect(pulled).toBeLessThanOrEqual(4 * CHUNK);
		release();
		await done;
		expect(written).toBe(total);
		expect(pulled).toBe(total);
	});
});
