// Sealed stream (DESIGN §4): file contents cut into chunks (4 MiB by default) and sealed with
// AES-256-GCM through WebCrypto, using the STREAM construction (Hoang, Reyhanitabar, Rogaway,
// Vizár, "Online Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance", 2015):
// nonce = 11-byte big-endian chunk index ‖ 1-byte last-chunk flag, AD = SHA-256(header).
// Chunks sealed in any other order, position, file or version fail; so does a stream cut short
// or extended. Must never buffer a whole file and never release plaintext of a chunk that did not
// authenticate.
//
// Key schedule. The header carries 32 random salt bytes and
//   HKDF-SHA256(ikm = ContentKey, salt, info = "coffre/stream/v1", 64) = aesKey (32) ‖ macKey (32)
// A fresh salt per sealing gives a fresh AES key, so re-sealing the same file version (an upload
// retried after an edit) never reuses a (key, nonce) pair — the design of Tink's AES-GCM-HKDF
// streaming AEAD. The commitment HMAC-SHA256(macKey, header bytes before it) commits to the
// key and authenticates every header field before any chunk is opened.
//
// Header, version 1 (canonical, exact lengths):
//   offset  size  field
//   0       1     version = 0x01
//   1       1     A = file id length (1..255)
//   2       A     file id (UTF-8)
//   2+A     1     B = version id length (1..255)
//   3+A     B     version id (UTF-8)
//   3+A+B   4     chunk size, u32 big-endian (1 KiB .. 64 MiB)
//   7+A+B   8     total plaintext size, u64 big-endian (≤ 2^53 − 1)
//   15+A+B  32    salt (random)
//   47+A+B  32    commitment = HMAC-SHA256(macKey, bytes [0, 47+A+B))
//
// Sealed chunk i: AES-256-GCM ciphertext (same length as its plaintext) ‖ 16-byte tag.
// Chunk count = max(1, ceil(total / chunk size)); every chunk is full except the last; an empty
// file is one empty last chunk. A sealed file as a byte stream = header ‖ chunk 0 ‖ chunk 1 ‖ …
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import {
	ByteReader,
	ByteWriter,
	concatBytes,
	equalBytes,
	fromUtf8,
	idBytes,
	MAX_SAFE_U64,
	utf8,
} from "./bytes";
import {
	FormatError,
	IntegrityError,
	KeyCommitmentError,
	MisuseError,
	TrailingDataError,
	TruncatedStreamError,
	UnsupportedVersionError,
} from "./errors";
import type { ContentKey } from "./keys";
import { randomBytes } from "./random";

export const SEALED_STREAM_VERSION = 1;
export const DEFAULT_CHUNK_SIZE = 4 * 2 ** 20;
/** Smallest chunk: keeps the 16-byte tag overhead and the chunk count of a header bounded. */
export const MIN_CHUNK_SIZE = 1024;
/** Largest chunk: bounds the memory an opener spends on a header it has not yet verified. */
export const MAX_CHUNK_SIZE = 64 * 2 ** 20;
export const STREAM_TAG_BYTES = 16;
export const STREAM_SALT_BYTES = 32;
export const STREAM_COMMITMENT_BYTES = 32;
/** Longest possible header (two 255-byte ids). */
export const MAX_STREAM_HEADER_BYTES =
	1 + 1 + 255 + 1 + 255 + 4 + 8 + STREAM_SALT_BYTES + STREAM_COMMITMENT_BYTES;
const STREAM_INFO = utf8("coffre/stream/v1");

/** What a sealed stream is bound to. */
export interface StreamParams {
	fileId: string;
	versionId: string;
	/** Exact plaintext size in bytes. */
	totalSize: number;
	/** Plaintext bytes per chunk; DEFAULT_CHUNK_SIZE when omitted. */
	chunkSize?: number;
}

/** The ids a stream must belong to; an opener refuses any other. */
export interface StreamExpectation {
	fileId: string;
	versionId: string;
}

/** Decoded header fields. */
export interface StreamHeaderInfo {
	readonly fileId: string;
	readonly versionId: string;
	readonly chunkSize: number;
	readonly totalSize: number;
	readonly chunkCount: number;
}

interface ParsedHeader {
	fileId: Uint8Array;
	versionId: Uint8Array;
	chunkSize: number;
	totalSize: number;
	salt: Uint8Array;
	commitment: Uint8Array;
	signedLength: number;
}

function checkSizes(chunkSize: number, totalSize: number): void {
	if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
		throw new FormatError(`chunk size must be ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE} bytes`);
	}
	if (!Number.isSafeInteger(totalSize) || totalSize < 0 || totalSize > MAX_SAFE_U64) {
		throw new FormatError("total size must be a non-negative safe integer");
	}
}

/** Number of chunks of a stream: an empty stream still has one (empty, last) chunk. */
export function chunkCountFor(totalSize: number, chunkSize: number): number {
	return totalSize === 0 ? 1 : Math.ceil(totalSize / chunkSize);
}

/** Parses a header from the front of `bytes`; undefined when more bytes are needed. */
function parseHeaderPrefix(
	bytes: Uint8Array,
): { header: ParsedHeader; length: number } | undefined {
	try {
		const reader = new ByteReader(bytes, "sealed stream header");
		const version = reader.u8();
		if (version !== SEALED_STREAM_VERSION) {
			throw new UnsupportedVersionError(`sealed stream version ${version} is not supported`);
		}
		const fileId = reader.shortBytes();
		const versionId = reader.shortBytes();
		const chunkSize = reader.u32();
		const totalSize = reader.u64();
		checkSizes(chunkSize, totalSize);
		const salt = reader.bytes(STREAM_SALT_BYTES);
		const signedLength = reader.offset;
		const commitment = reader.bytes(STREAM_COMMITMENT_BYTES);
		return {
			header: { fileId, versionId, chunkSize, totalSize, salt, commitment, signedLength },
			length: reader.offset,
		};
	} catch (error) {
		if (
			error instanceof FormatError &&
			error.message.endsWith("is too short") &&
			bytes.length < MAX_STREAM_HEADER_BYTES
		) {
			return undefined;
		}
		throw error;
	}
}

interface StreamKeys {
	aesKey: CryptoKey;
	macKey: Uint8Array;
}

async function deriveStreamKeys(contentKey: ContentKey, salt: Uint8Array): Promise<StreamKeys> {
	const ikm = contentKey.exportBytes();
	const okm = hkdf(sha256, ikm, salt, STREAM_INFO, 64);
	ikm.fill(0);
	const aesBytes = okm.slice(0, 32);
	const aesKey = await globalThis.crypto.subtle.importKey(
		"raw",
		aesBytes,
		{ name: "AES-GCM" },
		false,
		["encrypt", "decrypt"],
	);
	aesBytes.fill(0);
	const macKey = okm.slice(32);
	okm.fill(0);
	return { aesKey, macKey };
}

/** STREAM nonce: 11-byte big-endian index ‖ last-chunk flag. */
function chunkNonce(index: number, last: boolean): Uint8Array<ArrayBuffer> {
	const nonce = new Uint8Array(12);
	new DataView(nonce.buffer).setBigUint64(3, BigInt(index));
	nonce[11] = last ? 1 : 0;
	return nonce;
}

/** State shared by sealer and opener: sizes, AD and the AES key. */
abstract class StreamCipher {
	readonly header: Uint8Array<ArrayBuffer>;
	readonly info: StreamHeaderInfo;
	protected readonly aesKey: CryptoKey;
	protected readonly additionalData: Uint8Array<ArrayBuffer>;

	protected constructor(
		header: Uint8Array<ArrayBuffer>,
		info: StreamHeaderInfo,
		aesKey: CryptoKey,
	) {
		this.header = header;
		this.info = info;
		this.aesKey = aesKey;
		this.additionalData = sha256(header) as Uint8Array<ArrayBuffer>;
	}

	/** Number of chunks in this stream. */
	get chunkCount(): number {
		return this.info.chunkCount;
	}

	/** Plaintext length of chunk `index` (all full but the last). */
	plaintextLength(index: number): number {
		this.checkIndex(index);
		const { chunkSize, totalSize, chunkCount } = this.info;
		return index < chunkCount - 1 ? chunkSize : totalSize - (chunkCount - 1) * chunkSize;
	}

	/** Sealed length of chunk `index` (plaintext + 16-byte tag). */
	sealedLength(index: number): number {
		return this.plaintextLength(index) + STREAM_TAG_BYTES;
	}

	protected checkIndex(index: number): void {
		if (!Number.isSafeInteger(index) || index < 0 || index >= this.info.chunkCount) {
			throw new FormatError("chunk index is outside this stream");
		}
	}

	protected params(index: number): AesGcmParams {
		return {
			name: "AES-GCM",
			iv: chunkNonce(index, index === this.info.chunkCount - 1),
			additionalData: this.additionalData,
			tagLength: 128,
		};
	}
}

/**
 * Seals the chunks of one stream; make it with `createStreamSealer`. Each index can be sealed
 * once: sealing it again would reuse a GCM nonce under the same key, so it throws MisuseError
 * (keep the sealed bytes to retry an upload).
 */
export class StreamSealer extends StreamCipher {
	readonly #sealed = new Set<number>();

	/** @internal */
	constructor(header: Uint8Array<ArrayBuffer>, info: StreamHeaderInfo, aesKey: CryptoKey) {
		super(header, info, aesKey);
	}

	/**
	 * Seals chunk `index` (random access). Its plaintext must have exactly the chunk's length.
	 * @example const sealed = await sealer.sealChunk(0, firstFourMiB);
	 */
	async sealChunk(index: number, plaintext: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
		if (!(plaintext instanceof Uint8Array) || plaintext.length !== this.plaintextLength(index)) {
			throw new FormatError("chunk plaintext does not have the length the header declares");
		}
		if (this.#sealed.has(index))
			throw new MisuseError(`chunk ${index} was already sealed by this sealer`);
		this.#sealed.add(index);
		const sealed = await globalThis.crypto.subtle.encrypt(
			this.params(index),
			this.aesKey,
			plaintext as Uint8Array<ArrayBuffer>,
		);
		return new Uint8Array(sealed);
	}
}

/** Opens the chunks of one verified stream; make it with `createStreamOpener`. */
export class StreamOpener extends StreamCipher {
	/** @internal */
	constructor(header: Uint8Array<ArrayBuffer>, info: StreamHeaderInfo, aesKey: CryptoKey) {
		super(header, info, aesKey);
	}

	/**
	 * Opens sealed chunk `index` (random access). Throws IntegrityError when it was altered,
	 * moved, or belongs to another stream.
	 */
	async openChunk(index: number, sealedChunk: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
		if (!(sealedChunk instanceof Uint8Array)) throw new FormatError("sealed chunk must be bytes");
		if (sealedChunk.length !== this.sealedLength(index)) {
			throw new IntegrityError(
				`sealed chunk ${index} does not have the length the header declares`,
			);
		}
		try {
			const plaintext = await globalThis.crypto.subtle.decrypt(
				this.params(index),
				this.aesKey,
				sealedChunk as Uint8Array<ArrayBuffer>,
			);
			return new Uint8Array(plaintext);
		} catch {
			throw new IntegrityError(`sealed chunk ${index} does not authenticate in this stream`);
		}
	}
}

/**
 * Starts sealing one file version: makes a fresh salt, the header and the AES key.
 * @example
 * const sealer = await createStreamSealer(contentKey, { fileId, versionId, totalSize: file.size });
 */
export async function createStreamSealer(
	contentKey: ContentKey,
	params: StreamParams,
): Promise<StreamSealer> {
	const chunkSize = params.chunkSize ?? DEFAULT_CHUNK_SIZE;
	checkSizes(chunkSize, params.totalSize);
	const fileId = idBytes(params.fileId, "file id");
	const versionId = idBytes(params.versionId, "version id");
	const salt = randomBytes(STREAM_SALT_BYTES);
	const keys = await deriveStreamKeys(contentKey, salt);
	const signed = new ByteWriter()
		.u8(SEALED_STREAM_VERSION)
		.shortBytes(fileId)
		.shortBytes(versionId)
		.u32(chunkSize)
		.u64(params.totalSize)
		.bytes(salt)
		.finish();
	const header = concatBytes(signed, hmac(sha256, keys.macKey, signed));
	keys.macKey.fill(0);
	const info: StreamHeaderInfo = Object.freeze({
		fileId: params.fileId,
		versionId: params.versionId,
		chunkSize,
		totalSize: params.totalSize,
		chunkCount: chunkCountFor(params.totalSize, chunkSize),
	});
	return new StreamSealer(header, info, keys.aesKey);
}

/**
 * Re-creates the sealer of an interrupted upload from its header, to seal again chunks whose
 * sealed bytes were not kept. Sealing a chunk again under the same header reuses its GCM nonce,
 * which is harmless only for the very same plaintext (the output is then identical): the
 * caller must compare what it gets (e.g. the chunk's shard roots) with what was recorded
 * before anything leaves the device, and must never send a chunk that differs. Verifies the
 * header like `createStreamOpener`.
 * @example const sealer = await resumeStreamSealer(contentKey, header, { fileId, versionId });
 */
export async function resumeStreamSealer(
	contentKey: ContentKey,
	header: Uint8Array,
	expected: StreamExpectation,
): Promise<StreamSealer> {
	const { header: verified, info, aesKey } = await verifyHeader(contentKey, header, expected);
	return new StreamSealer(verified, info, aesKey);
}

/** A header checked against its key and the expected ids, with the stream's AES key. */
interface VerifiedStream {
	header: Uint8Array<ArrayBuffer>;
	info: StreamHeaderInfo;
	aesKey: CryptoKey;
}

async function verifyParsedHeader(
	contentKey: ContentKey,
	headerBytes: Uint8Array,
	parsed: ParsedHeader,
	expected: StreamExpectation,
): Promise<VerifiedStream> {
	const keys = await deriveStreamKeys(contentKey, parsed.salt);
	const commitment = hmac(sha256, keys.macKey, headerBytes.subarray(0, parsed.signedLength));
	keys.macKey.fill(0);
	if (!equalBytes(commitment, parsed.commitment)) {
		throw new KeyCommitmentError("sealed stream header was not made with this key, or was altered");
	}
	if (
		!equalBytes(parsed.fileId, idBytes(expected.fileId, "file id")) ||
		!equalBytes(parsed.versionId, idBytes(expected.versionId, "version id"))
	) {
		throw new IntegrityError("sealed stream belongs to another file or version");
	}
	const info: StreamHeaderInfo = Object.freeze({
		fileId: fromUtf8(parsed.fileId, "file id"),
		versionId: fromUtf8(parsed.versionId, "version id"),
		chunkSize: parsed.chunkSize,
		totalSize: parsed.totalSize,
		chunkCount: chunkCountFor(parsed.totalSize, parsed.chunkSize),
	});
	return { header: Uint8Array.from(headerBytes), info, aesKey: keys.aesKey };
}

function verifyHeader(
	contentKey: ContentKey,
	header: Uint8Array,
	expected: StreamExpectation,
): Promise<VerifiedStream> {
	if (!(header instanceof Uint8Array)) throw new FormatError("sealed stream header must be bytes");
	const parsed = parseHeaderPrefix(header);
	if (!parsed) throw new FormatError("sealed stream header is too short");
	if (parsed.length !== header.length)
		throw new FormatError("sealed stream header has trailing bytes");
	return verifyParsedHeader(contentKey, header, parsed.header, expected);
}

/**
 * Verifies a stream header (version, encoding, key commitment, expected ids) and returns an
 * opener for its chunks. Throws UnsupportedVersionError, FormatError, KeyCommitmentError or
 * IntegrityError.
 * @example const opener = await createStreamOpener(contentKey, manifest.header, { fileId, versionId });
 */
export async function createStreamOpener(
	contentKey: ContentKey,
	header: Uint8Array,
	expected: StreamExpectation,
): Promise<StreamOpener> {
	const { header: verified, info, aesKey } = await verifyHeader(contentKey, header, expected);
	return new StreamOpener(verified, info, aesKey);
}

/** Collects input into pieces of exact sizes, copying only when a piece spans several inputs. */
class PieceCollector {
	#buffer = new Uint8Array(0);
	#filled = 0;

	/**
	 * Takes up to `size` bytes from `input`. Returns the complete piece (valid until the next
	 * call: WebCrypto copies its input when called) and what is left of `input`.
	 */
	take(input: Uint8Array, size: number): { piece?: Uint8Array; rest: Uint8Array } {
		if (this.#filled === 0 && input.length >= size) {
			return { piece: input.subarray(0, size), rest: input.subarray(size) };
		}
		if (this.#buffer.length < size) {
			const grown = new Uint8Array(size);
			grown.set(this.#buffer.subarray(0, this.#filled));
			this.#buffer = grown;
		}
		const n = Math.min(size - this.#filled, input.length);
		this.#buffer.set(input.subarray(0, n), this.#filled);
		this.#filled += n;
		if (this.#filled < size) return { rest: input.subarray(n) };
		this.#filled = 0;
		return { piece: this.#buffer.subarray(0, size), rest: input.subarray(n) };
	}
}

/**
 * Queues of both transforms, stated rather than left to defaults because they bound memory: the
 * writable side accepts one input piece at a time (it stays queued while the transform works on
 * it) and the readable side keeps at most the one output just made, so each stage holds one
 * chunk in work and one waiting. A byte-length strategy could not go lower: a writable with a
 * high-water mark of 0 never signals readiness, so a pipe into it stalls, and any positive
 * mark still accepts one piece of any size.
 */
function oneInputAtATime(): QueuingStrategy<Uint8Array> {
	return new CountQueuingStrategy({ highWaterMark: 1 });
}
function noOutputAhead(): QueuingStrategy<Uint8Array> {
	return new CountQueuingStrategy({ highWaterMark: 0 });
}

/**
 * A TransformStream from plaintext bytes to `header ‖ sealed chunks` (each output is the header
 * or one whole sealed chunk). It seals one chunk at a time, so it holds about two chunks in
 * memory; stages piped one after another (seal → upload, download → open) still overlap.
 * Throws FormatError when the input is not exactly `totalSize` bytes.
 * @example await file.stream().pipeThrough(createSealStream(sealer)).pipeTo(upload);
 */
export function createSealStream(sealer: StreamSealer): TransformStream<Uint8Array, Uint8Array> {
	const collector = new PieceCollector();
	let index = 0;
	const sealReady = async (
		input: Uint8Array,
		controller: TransformStreamDefaultController<Uint8Array>,
	) => {
		let rest = input;
		while (index < sealer.chunkCount) {
			const taken = collector.take(rest, sealer.plaintextLength(index));
			rest = taken.rest;
			if (!taken.piece) break;
			controller.enqueue(await sealer.sealChunk(index++, taken.piece));
		}
		if (rest.length > 0) throw new FormatError("input is longer than the declared total size");
	};
	return new TransformStream<Uint8Array, Uint8Array>(
		{
			async start(controller) {
				controller.enqueue(sealer.header);
				if (sealer.info.totalSize === 0) await sealReady(new Uint8Array(0), controller);
			},
			async transform(chunk, controller) {
				if (!(chunk instanceof Uint8Array))
					throw new FormatError("a sealed stream takes Uint8Array chunks");
				if (chunk.length > 0) await sealReady(chunk, controller);
			},
			flush() {
				if (index < sealer.chunkCount)
					throw new FormatError("input is shorter than the declared total size");
			},
		},
		oneInputAtATime(),
		noOutputAhead(),
	);
}

/**
 * A TransformStream from `header ‖ sealed chunks` (split anywhere) to plaintext. It verifies the
 * header against `contentKey` and the expected ids first, then releases each chunk's plaintext
 * only after it authenticates. Errors: KeyCommitmentError, IntegrityError, TruncatedStreamError,
 * TrailingDataError, FormatError, UnsupportedVersionError.
 * @example const plaintext = sealedBody.pipeThrough(createOpenStream(contentKey, { fileId, versionId }));
 */
export function createOpenStream(
	contentKey: ContentKey,
	expected: StreamExpectation,
): TransformStream<Uint8Array, Uint8Array> {
	let headerBytes = new Uint8Array(0);
	let opener: StreamOpener | undefined;
	const collector = new PieceCollector();
	let index = 0;
	return new TransformStream<Uint8Array, Uint8Array>(
		{
			async transform(chunk, controller) {
				if (!(chunk instanceof Uint8Array))
					throw new FormatError("a sealed stream takes Uint8Array chunks");
				let rest: Uint8Array = chunk;
				if (!opener) {
					// Only header bytes are copied (at most MAX_STREAM_HEADER_BYTES); the chunk data
					// that follows the header in the same input is read in place.
					const before = headerBytes.length;
					const wanted = Math.min(rest.length, MAX_STREAM_HEADER_BYTES - before);
					headerBytes = concatBytes(headerBytes, rest.subarray(0, wanted));
					const parsed = parseHeaderPrefix(headerBytes);
					if (!parsed) return;
					const header = headerBytes.subarray(0, parsed.length);
					const verified = await verifyParsedHeader(contentKey, header, parsed.header, expected);
					opener = new StreamOpener(verified.header, verified.info, verified.aesKey);
					rest = rest.subarray(parsed.length - before);
					headerBytes = new Uint8Array(0);
				}
				while (rest.length > 0) {
					if (index >= opener.chunkCount)
						throw new TrailingDataError("sealed stream continues after its last chunk");
					const taken = collector.take(rest, opener.sealedLength(index));
					rest = taken.rest;
					if (!taken.piece) break;
					controller.enqueue(await opener.openChunk(index++, taken.piece));
				}
			},
			flush() {
				if (!opener || index < opener.chunkCount) {
					throw new TruncatedStreamError("sealed stream ended before its last chunk");
				}
			},
		},
		oneInputAtATime(),
		noOutputAhead(),
	);
}
