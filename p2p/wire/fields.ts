// Field checks for decoded messages: each takes an untrusted decoded value and returns it typed
// or throws Refusal(BAD_REQUEST) naming the field. Hand-written (not zod) because the checks are
// few, byte-length bounds matter most, and the hot path (shard bytes) must not be copied.
import { Refusal } from "./rpc";
import { Status } from "./status";

/** A decoded CBOR map. */
export type Fields = Record<string, unknown>;

function bad(reason: string): never {
	throw new Refusal(Status.BAD_REQUEST, reason);
}

/** The value as a map, with version `v` equal to `version`. */
export function asMessage(value: unknown, version: number): Fields {
	if (
		typeof value !== "object" ||
		value === null ||
		Array.isArray(value) ||
		value instanceof Uint8Array
	) {
		bad("message must be a map");
	}
	const fields = value as Fields;
	if (fields.v !== version) {
		throw new Refusal(Status.UNSUPPORTED_VERSION, `message version must be ${version}`);
	}
	return fields;
}

/** A byte string field of `min`..`max` bytes. */
export function bytesField(fields: Fields, key: string, min: number, max: number): Uint8Array {
	const value = fields[key];
	if (!(value instanceof Uint8Array)) bad(`${key} must be bytes`);
	if (value.length < min || value.length > max) bad(`${key} must be ${min}..${max} bytes`);
	return value;
}

/** A safe non-negative integer field of at most `max`. */
export function intField(fields: Fields, key: string, max = Number.MAX_SAFE_INTEGER): number {
	const value = fields[key];
	if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > max) {
		bad(`${key} must be an integer in 0..${max}`);
	}
	return value;
}

/** A text field of at most `max` characters. */
export function stringField(fields: Fields, key: string, max: number): string {
	const value = fields[key];
	if (typeof value !== "string" || value.length === 0 || value.length > max) {
		bad(`${key} must be text of 1..${max} characters`);
	}
	return value;
}

/** A map field. */
export function mapField(fields: Fields, key: string): Fields {
	const value = fields[key];
	if (
		typeof value !== "object" ||
		value === null ||
		Array.isArray(value) ||
		value instanceof Uint8Array
	) {
		bad(`${key} must be a map`);
	}
	return value as Fields;
}

/** An array field of at most `max` entries. */
export function arrayField(fields: Fields, key: string, max: number): unknown[] {
	const value = fields[key];
	if (!Array.isArray(value) || value.length > max) bad(`${key} must be a list of at most ${max}`);
	return value;
}
