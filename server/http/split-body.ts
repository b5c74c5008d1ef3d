// Reads a request body made of consecutive parts of known sizes (a chunk's shards, one after
// another) and hands out each part as soon as its last byte arrived, as the pieces it came in
// (views, no copy), so the gateway can send one shard on while the next is still arriving.
// Never reads past the announced total: a body that runs longer is refused as soon as it does,
// a short one at its end.
import { AppError } from "../errors";

/** One part of the body: its position in `sizes` and its bytes in pieces. */
export interface BodyPart {
	index: number;
	pieces: Uint8Array[];
}

export async function* splitBody(
	body: ReadableStream<Uint8Array> | null,
	sizes: readonly number[],
): AsyncGenerator<BodyPart> {
	let index = 0;
	let pieces: Uint8Array[] = [];
	let filled = 0;
	// Parts of size 0 are complete before any byte arrives.
	const completeParts = function* (): Generator<BodyPart> {
		while (index < sizes.length && filled === sizes[index]) {
			yield { index, pieces };
			index++;
			pieces = [];
			filled = 0;
		}
	};
	yield* completeParts();
	if (body) {
		for await (const piece of body) {
			let offset = 0;
			while (offset < piece.length) {
				if (index >= sizes.length)
					throw new AppError("BAD_INPUT", "The upload is longer than announced.");
				const take = Math.min((sizes[index] as number) - filled, piece.length - offset);
				pieces.push(
					offset === 0 && take === piece.length ? piece : piece.subarray(offset, offset + take),
				);
				filled += take;
				offset += take;
				yield* completeParts();
			}
		}
	}
	if (index < sizes.length) throw new AppError("BAD_INPUT", "The upload was cut short in transit.");
}
