// Systematic Reed-Solomon erasure coder over GF(2^8) (polynomial 0x11D) with the
// klauspost/Backblaze matrix, so its parity is byte-for-byte that of klauspost/reedsolomon and
// the Rust reed-solomon-erasure crate (checked against shared/vectors/reed-solomon/ and the crate
// built to WASM). Written here because no maintained pure-JS or WASM package on npm fits:
// @bnb-chain/reed-solomon only returns Greenfield integrity hashes of encoded shards (no parity
// API, no reconstruction, byte arrays copied through JS arrays); @ronomon/reed-solomon is a
// native addon (DESIGN §2 forbids install-time builds); the Rust crate in WASM
// (@digitaldefiance/reed-solomon-erasure.wasm) is scalar, wants all shards in one contiguous
// buffer, and is several times slower than the SIMD kernel here, so it serves as a test and
// benchmark oracle only. Every input is validated and bounded; shard bytes never appear in
// errors. Never imports node:* — it also runs in browsers and workers.
import {
	ErasureInputError,
	ErasureParameterError,
	ErasureShardCountError,
	ErasureShardSizeError,
	ErasureTooFewShardsError,
} from "./errors";
import { type ErasureKernelChoice, type MatrixApplier, pickKernel } from "./gf-kernel";
import { MAX_CACHED_ERASURE_PATTERNS, MAX_SHARD_BYTES, MAX_TOTAL_SHARDS } from "./limits";
import { buildEncodingMatrix, invertMatrix, multiplyMatrices, selectRows } from "./matrix";

/** Parameters of a code: k data shards and m parity shards, k ≥ 1, m ≥ 1, k + m ≤ 256. */
export interface ErasureCoderOptions {
	dataShards: number;
	parityShards: number;
	/** Kernel to use; "auto" (default) is WASM SIMD where available, else pure JS. */
	kernel?: ErasureKernelChoice;
}

/** A Reed-Solomon coder for one (k, m). Stateless apart from cached matrices; reusable. */
export interface ErasureCoder {
	readonly dataShards: number;
	readonly parityShards: number;
	readonly totalShards: number;
	/** The kernel in use: "simd" or "js". */
	readonly kernel: "simd" | "js";
	/**
	 * The m parity shards of k equal-length data shards (inputs untouched): written into `into`
	 * when given (m arrays of the shards' length, not overlapping them, e.g. views of a reused
	 * buffer) and returned, else new arrays.
	 * @example
	 * const coder = createErasureCoder({ dataShards: 4, parityShards: 2 });
	 * const parity = coder.encode(splitIntoShards(chunk, 4));
	 */
	encode<Parity extends Uint8Array = Uint8Array>(
		dataShards: readonly Uint8Array[],
		into?: readonly Parity[],
	): Parity[];
	/**
	 * All k + m shards from any k of them: pass an array of length k + m with `null` (or
	 * `undefined`) for each missing shard. Present shards are returned as given (not copied);
	 * missing ones are rebuilt into new arrays. Shards are not checked for corruption — verify
	 * them against their roots first and pass corrupt ones as missing.
	 * @example
	 * const all = coder.reconstruct([null, shard1, shard2, null, parity0, parity1]);
	 */
	reconstruct(shards: readonly (Uint8Array | null | undefined)[]): Uint8Array[];
	/**
	 * The k data shards only, from any k of the k + m (same input and errors as `reconstruct`):
	 * what a download needs, without the cost of rebuilding missing parity.
	 * @example
	 * const data = coder.reconstructData(fetchedShards);
	 * const chunk = joinShards(data, chunkLength);
	 */
	reconstructData(shards: readonly (Uint8Array | null | undefined)[]): Uint8Array[];
}

interface ReconstructionPlan {
	/** Indices of the k shards read. */
	inputs: number[];
	/** Indices of the shards rebuilt. */
	missing: number[];
	apply: MatrixApplier;
}

function checkParameters(options: ErasureCoderOptions): void {
	if (typeof options !== "object" || options === null) {
		throw new ErasureParameterError("options must be an object { dataShards, parityShards }");
	}
	const { dataShards: k, parityShards: m, kernel } = options;
	if (!Number.isSafeInteger(k) || k < 1) {
		throw new ErasureParameterError("dataShards must be an integer ≥ 1");
	}
	if (!Number.isSafeInteger(m) || m < 1) {
		throw new ErasureParameterError("parityShards must be an integer ≥ 1");
	}
	if (k + m > MAX_TOTAL_SHARDS) {
		throw new ErasureParameterError(
			`dataShards + parityShards is ${k + m}; GF(2^8) allows at most ${MAX_TOTAL_SHARDS}`,
		);
	}
	if (kernel !== undefined && kernel !== "auto" && kernel !== "simd" && kernel !== "js") {
		throw new ErasureParameterError('kernel must be "auto", "simd" or "js"');
	}
}

/** Checks that every present shard is a Uint8Array of one length within bounds; returns it. */
function commonShardLength(shards: readonly (Uint8Array | null | undefined)[]): number {
	let length = -1;
	shards.forEach((shard, index) => {
		if (shard === null || shard === undefined) return;
		if (!(shard instanceof Uint8Array)) {
			throw new ErasureInputError(`shard ${index} is not a Uint8Array`);
		}
		if (length === -1) length = shard.length;
		else if (shard.length !== length) {
			throw new ErasureShardSizeError(
				`shard ${index} has ${shard.length} bytes but earlier shards have ${length}`,
			);
		}
	});
	if (length === 0) throw new ErasureShardSizeError("shards must not be empty");
	if (length > MAX_SHARD_BYTES) {
		throw new ErasureShardSizeError(`shards of ${length} bytes exceed ${MAX_SHARD_BYTES}`);
	}
	return length;
}

/**
 * Creates a systematic Reed-Solomon coder with the klauspost/Backblaze matrix.
 * Throws ErasureParameterError for k < 1, m < 1 or k + m > 256, and
 * ErasureKernelUnavailableError if `kernel: "simd"` is asked for where WASM SIMD cannot run.
 * @example
 * const coder = createErasureCoder({ dataShards: 10, parityShards: 6 });
 * const parity = coder.encode(dataShards);          // 6 parity shards
 * const shards = coder.reconstruct(someMissing);    // all 16 back from any 10
 */
export function createErasureCoder(options: ErasureCoderOptions): ErasureCoder {
	checkParameters(options);
	const { dataShards: k, parityShards: m } = options;
	const n = k + m;
	const kernel = pickKernel(options.kernel ?? "auto");
	const encodingMatrix = buildEncodingMatrix(k, m);
	const parityRows = Array.from({ length: m }, (_, i) => k + i);
	const applyParity = kernel.compile(selectRows(encodingMatrix, parityRows));
	const plans = new Map<string, ReconstructionPlan>();

	/** The plan rebuilding the absent shards among the first `wanted` (k or n) from `present`. */
	function planFor(present: readonly boolean[], wanted: number): ReconstructionPlan {
		const key = `${wanted}:${present.map((p) => (p ? "1" : "0")).join("")}`;
		const cached = plans.get(key);
		if (cached) {
			plans.delete(key);
			plans.set(key, cached);
			return cached;
		}
		const inputs: number[] = [];
		const missing: number[] = [];
		present.forEach((isPresent, index) => {
			if (!isPresent) {
				if (index < wanted) missing.push(index);
			} else if (inputs.length < k) inputs.push(index);
		});
		// Rows `inputs` of the encoding matrix map the data to the shards we hold; its inverse
		// maps them back to the data, and row x of the encoding matrix times that inverse
		// rebuilds shard x (data or parity) straight from the shards held, in one pass.
		const decode = invertMatrix(selectRows(encodingMatrix, inputs));
		const apply = kernel.compile(multiplyMatrices(selectRows(encodingMatrix, missing), decode));
		const plan = { inputs, missing, apply };
		if (plans.size >= MAX_CACHED_ERASURE_PATTERNS) {
			plans.delete(plans.keys().next().value as string);
		}
		plans.set(key, plan);
		return plan;
	}

	/** The first `wanted` shards (k or n): present ones as given, absent ones rebuilt. */
	function rebuild(
		shards: readonly (Uint8Array | null | undefined)[],
		wanted: number,
	): Uint8Array[] {
		if (!Array.isArray(shards)) throw new ErasureInputError("shards must be an array");
		if (shards.length !== n) {
			throw new ErasureShardCountError(`expected ${n} shard slots (k + m), got ${shards.length}`);
		}
		const length = commonShardLength(shards);
		const present = Array.from(shards, (shard) => shard !== null && shard !== undefined);
		const presentCount = present.filter(Boolean).length;
		if (presentCount < k) {
			throw new ErasureTooFewShardsError(
				`${presentCount} shards present; at least ${k} are needed to rebuild`,
			);
		}
		const result = shards.slice(0, wanted) as Uint8Array[];
		if (present.slice(0, wanted).every(Boolean)) return result;
		const plan = planFor(present, wanted);
		const rebuilt = plan.missing.map(() => new Uint8Array(length));
		plan.apply(
			plan.inputs.map((index) => shards[index] as Uint8Array),
			rebuilt,
			length,
		);
		plan.missing.forEach((index, i) => {
			result[index] = rebuilt[i] as Uint8Array;
		});
		return result;
	}

	return {
		dataShards: k,
		parityShards: m,
		totalShards: n,
		kernel: kernel.name,
		encode<Parity extends Uint8Array = Uint8Array>(
			dataShards: readonly Uint8Array[],
			into?: readonly Parity[],
		): Parity[] {
			if (!Array.isArray(dataShards)) throw new ErasureInputError("dataShards must be an array");
			if (dataShards.length !== k) {
				throw new ErasureShardCountError(`expected ${k} data shards, got ${dataShards.length}`);
			}
			if (dataShards.some((shard) => shard === null || shard === undefined)) {
				throw new ErasureInputError("every data shard must be present to encode");
			}
			const length = commonShardLength(dataShards);
			if (into !== undefined) {
				if (!Array.isArray(into) || into.length !== m)
					throw new ErasureShardCountError(`expected ${m} parity arrays to write into`);
				if (into.some((shard) => !(shard instanceof Uint8Array) || shard.length !== length))
					throw new ErasureShardSizeError(`each parity array must have ${length} bytes`);
			}
			const parity = into ? [...into] : Array.from({ length: m }, () => new Uint8Array(length));
			applyParity(dataShards, parity, length);
			return parity as Parity[];
		},
		reconstruct: (shards) => rebuild(shards, n),
		reconstructData: (shards) => rebuild(shards, k),
	};
}
