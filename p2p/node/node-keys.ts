// The node folder's identity file (node.json): the libp2p Ed25519 identity (its peer id), the
// secp256k1 encryption key for Umbral proxy work, and the settings chosen at `init`. Written
// once with mode 0600; it must never be logged or sent anywhere.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey } from "@libp2p/interface";
import { secp256k1 } from "@noble/curves/secp256k1.js";

/** Contents of a node folder's identity file. */
export interface NodeIdentity {
	privateKey: Ed25519PrivateKey;
	/** 32-byte secp256k1 secret (Umbral receiving key). */
	encryptionSecretKey: Uint8Array;
	capacityBytes: number;
}

/** The file name inside the data folder. */
export const NODE_IDENTITY_FILE = "node.json";

/** The node folder is missing, or its identity file is unreadable. */
export class NodeFolderError extends Error {
	override name = "NodeFolderError";
}

/** Creates `dataDir` with fresh keys; refuses to overwrite an existing identity. */
export async function initNodeFolder(
	dataDir: string,
	capacityBytes: number,
): Promise<NodeIdentity> {
	await mkdir(dataDir, { recursive: true, mode: 0o700 });
	const privateKey = (await generateKeyPair("Ed25519")) as Ed25519PrivateKey;
	const encryptionSecretKey = secp256k1.utils.randomSecretKey();
	const file = {
		v: 1,
		identity: Buffer.from(privateKeyToProtobuf(privateKey)).toString("base64"),
		encryptionSecretKey: Buffer.from(encryptionSecretKey).toString("hex"),
		capacityBytes,
	};
	try {
		await writeFile(join(dataDir, NODE_IDENTITY_FILE), `${JSON.stringify(file, null, 2)}\n`, {
			flag: "wx",
			mode: 0o600,
		});
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === "EEXIST") {
			throw new NodeFolderError(
				`${dataDir} already holds a node identity; refusing to overwrite it`,
			);
		}
		throw err;
	}
	return { privateKey, encryptionSecretKey, capacityBytes };
}

/** Reads the identity of an initialised node folder. */
export async function loadNodeFolder(dataDir: string): Promise<NodeIdentity> {
	let text: string;
	try {
		text = await readFile(join(dataDir, NODE_IDENTITY_FILE), "utf8");
	} catch {
		throw new NodeFolderError(`${dataDir} is not a node folder; run \`coffre-node init\` first`);
	}
	try {
		const file = JSON.parse(text) as {
			identity: string;
			encryptionSecretKey: string;
			capacityBytes: number;
		};
		const privateKey = privateKeyFromProtobuf(Buffer.from(file.identity, "base64"));
		if (privateKey.type !== "Ed25519") throw new Error("identity is not Ed25519");
		const encryptionSecretKey = Uint8Array.from(Buffer.from(file.encryptionSecretKey, "hex"));
		if (encryptionSecretKey.length !== 32 || !Number.isSafeInteger(file.capacityBytes)) {
			throw new Error("bad fields");
		}
		return { privateKey, encryptionSecretKey, capacityBytes: file.capacityBytes };
	} catch {
		throw new NodeFolderError(`${join(dataDir, NODE_IDENTITY_FILE)} is damaged`);
	}
}

/** The 32-byte Ed25519 seed of a libp2p identity, for @noble/curves signatures. */
export function identitySeed(privateKey: Ed25519PrivateKey): Uint8Array {
	return privateKey.raw.subarray(0, 32);
}
