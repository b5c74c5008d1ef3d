// Reads a request body of an announced size as the pieces it arrives in, never more: a body
// that runs past its size is refused as soon as it does (the rest is not read), a short one is
// refused at its end. Used by the shard gateway, which passes the pieces on without joining them.
import { AppError } from "../errors";

export async function readExactBody(
	body: ReadableStream<Uint8Array> | null,
	length: number,
	what = "The request body",
): Promise<Uint8Array[]> {
	const pieces: Uint8Array[] = [];
	let received = 0;
	if (body) {
		for await (const piece of body) {
			received += piece.length;
			if (received > length) throw new AppError("BAD_INPUT", `${what} is longer than announced.`);
			pieces.push(piece);
		}
	}
	if (received !== length) throw new AppError("BAD_INPUT", `${what} was truncated in transit.`);
	return pieces;
}
