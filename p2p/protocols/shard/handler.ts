// Node side of /coffre/shard/1.0.0: put (with a coordinator-signed ticket; the store recomputes
// the Merkle root and refuses a mismatch), get (verified on read), has, renew, delete (with a
// coordinator-signed order), in the message versions of ./constants (v2 and v3 stream the shard
// as a raw frame: the ticket is verified before any byte is read, bytes are hashed and written
// as they arrive, the answer comes only after the root matched and the file is durable — v3
// without waiting for a "continue"; a get is hashed while it is read and sent and ends with a
// CORRUPT trailer if the check fails).
// Each request is validated field by field; nothing a peer sends can make it store unticketed
// bytes or keep bytes that fail the root check, nor end a get of a corrupt file with OK.

import { asMessage, bytesField, intField, stringField } from "../../wire/fields";
import { toHex } from "../../wire/hex";
import { Refusal, type StreamIO } from "../../wire/rpc";
import { Status } from "../../wire/status";
import { corrupted, type NodeContext, stallIfFaulty } from "../context";
import { MAX_SHARD_BYTES } from "../limits";
import { withStoreRefusals } from "../store-errors";
import {
	ROOT_BYTES,
	SHARD_EAGER_PUT_VERSION,
	SHARD_MESSAGE_VERSION,
	SHARD_STREAM_VERSION,
} from "./constants";
import { envelopeField, verifyDeleteOrder, verifyStorageTicket } from "./ticket";

/** Answers one decoded shard request for the node described by `context`. */
export async function handleShardRequest(
	context: NodeContext,
	message: unknown,
	io?: StreamIO,
): Promise<Record<string, unknown>> {
	const version = versionOf(message);
	if (io !== undefined && (version === SHARD_STREAM_VERSION || version === SHARD_EAGER_PUT_VERSION))
		return handleStreamed(context, message, version, io);
	const fields = asMessage(message, SHARD_MESSAGE_VERSION);
	const op = stringField(fields, "op", 16);
	// A stalling test node takes shards, then is too slow to serve them.
	if (op === "get" || op === "has") await stallIfFaulty(context);
	const { store } = context;
	switch (op) {
		case "put": {
			const ticket = verifyStorageTicket(
				envelopeField(fields, "ticket"),
				context.coordinatorPublicKey,
				context.peerId,
			);
			const data = bytesField(fields, "data", 0, MAX_SHARD_BYTES);
			if (data.length !== ticket.size) {
				throw new Refusal(
					Status.TICKET_MISMATCH,
					`ticket is for ${ticket.size} bytes, got ${data.length}`,
				);
			}
			if (context.faults.claimDroppedShards) {
				context.claimed.add(toHex(ticket.root));
				return {};
			}
			await withStoreRefusals(() => store.put(ticket.root, data, ticket.leaseUntil));
			return {};
		}
		case "renew": {
			const ticket = verifyStorageTicket(
				envelopeField(fields, "ticket"),
				context.coordinatorPublicKey,
				context.peerId,
			);
			await withStoreRefusals(() => store.renew(ticket.root, ticket.leaseUntil));
			return {};
		}
		case "get": {
			const root = bytesField(fields, "root", ROOT_BYTES, ROOT_BYTES);
			const data = await withStoreRefusals(() => store.get(root));
			return { data: context.faults.serveWrongBytes ? corrupted(data) : data };
		}
		case "has": {
			const root = bytesField(fields, "root", ROOT_BYTES, ROOT_BYTES);
			const info = store.info(root);
			if (info === null && context.claimed.has(toHex(root))) return { has: true, size: 0 };
			return info === null ? { has: false } : { has: true, size: info.size };
		}
		case "delete": {
			const order = verifyDeleteOrder(
				envelopeField(fields, "order"),
				context.coordinatorPublicKey,
				context.peerId,
			);
			return { deleted: await store.delete(order.root) };
		}
		default:
			throw new Refusal(Status.BAD_REQUEST, "op must be put, renew, get, has or delete");
	}
}

function versionOf(message: unknown): unknown {
	return typeof message === "object" && message !== null
		? (message as Record<string, unknown>).v
		: undefined;
}

/**
 * The messages with the shard as a raw frame (see ./constants): v2 put and get, v3 put. Other
 * ops (has, renew, delete) exist in message version 1 only.
 */
async function handleStreamed(
	context: NodeContext,
	message: unknown,
	version: typeof SHARD_STREAM_VERSION | typeof SHARD_EAGER_PUT_VERSION,
	io: StreamIO,
): Promise<Record<string, unknown>> {
	const fields = asMessage(message, version);
	const op = stringField(fields, "op", 16);
	if (op === "put") return streamedPut(context, fields, io);
	if (op === "get" && version === SHARD_STREAM_VERSION) return streamedGet(context, fields, io);
	throw new Refusal(
		Status.UNSUPPORTED_VERSION,
		version === SHARD_STREAM_VERSION
			? "v2 has only put and get; other ops are v1"
			: "v3 has only put; other ops are v1 or v2",
	);
}

/**
 * A streamed put, v2 or v3 (./constants): the ticket and the room for the shard are checked
 * before any of the body is read. v2 then asks for the body with an interim "continue"; v3's
 * body is already on its way, declared with `expectBody`, so a refusal or an answer that the
 * shard is already held goes out at once and the body is skipped unread.
 */
async function streamedPut(
	context: NodeContext,
	fields: Record<string, unknown>,
	io: StreamIO,
): Promise<Record<string, unknown>> {
	const eager = fields.v === SHARD_EAGER_PUT_VERSION;
	if ("data" in fields)
		throw new Refusal(Status.BAD_REQUEST, `v${fields.v} put sends data as a raw frame`);
	if (eager) io.expectBody(MAX_SHARD_BYTES);
	const ticket = verifyStorageTicket(
		envelopeField(fields, "ticket"),
		context.coordinatorPublicKey,
		context.peerId,
	);
	const askForBody = () => (eager ? Promise.resolve() : io.send({ continue: true }));
	if (context.faults.claimDroppedShards) {
		await askForBody();
		const body = await io.readBody(MAX_SHARD_BYTES);
		for await (const _ of body.chunks) {
			// dropped: this test node only pretends to store
		}
		context.claimed.add(toHex(ticket.root));
		return {};
	}
	const write = await withStoreRefusals(() =>
		context.store.beginPut(ticket.root, ticket.size, ticket.leaseUntil),
	);
	// Already held: the lease was extended, no bytes needed.
	if (write === null) return eager ? { held: true } : {};
	try {
		await askForBody();
		const body = await io.readBody(MAX_SHARD_BYTES);
		if (body.length !== ticket.size) {
			throw new Refusal(
				Status.TICKET_MISMATCH,
				`ticket is for ${ticket.size} bytes, got ${body.length}`,
			);
		}
		for await (const chunk of body.chunks) write.write(chunk);
		await withStoreRefusals(() => write.commit());
		return {};
	} finally {
		await write.abort();
	}
}

async function streamedGet(
	context: NodeContext,
	fields: Record<string, unknown>,
	io: StreamIO,
): Promise<Record<string, unknown>> {
	const root = bytesField(fields, "root", ROOT_BYTES, ROOT_BYTES);
	const max = intField(fields, "max", MAX_SHARD_BYTES);
	await stallIfFaulty(context);
	const read = await withStoreRefusals(() => context.store.openRead(root));
	if (read.size > max) {
		// Close the file: none of it is sent.
		await read.release();
		throw new Refusal(Status.TOO_LARGE, `shard is ${read.size} bytes, above the ${max} asked`);
	}
	await io.send({ size: read.size });
	let chunks: AsyncIterable<Uint8Array> = read.chunks;
	if (context.faults.serveWrongBytes) chunks = corruptFirst(read.chunks);
	// A failed check of what was read and sent ends the exchange with a CORRUPT trailer.
	await withStoreRefusals(() => io.sendBody(read.size, chunks));
	return {};
}

/** Test fault: the pieces with the first byte flipped, after the node's own check saw them. */
async function* corruptFirst(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
	let first = true;
	for await (const chunk of chunks) {
		yield first ? corrupted(chunk) : chunk;
		first = false;
	}
}
