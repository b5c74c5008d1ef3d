// Shared test inputs for the Umbral suite: the vectors in `../shared/vectors/umbral` (read in
// place, never copied; see its PROVENANCE.md), hex helpers and the two curve backends every
// behaviour is checked with.
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { type CurveBackend, nobleCurveBackend } from "../../../crypto/umbral";
import { wasmCurveBackend } from "../../../p2p/proxy/wasm-curve-backend";
import { readSharedVectors } from "../../helpers/shared-vectors";

/** Parses one JSON file of the shared Umbral vectors folder. */
export function readUmbralVectors<T>(relativePath: string): T {
	return readSharedVectors<T>(`umbral/${relativePath}`);
}

export const hex = hexToBytes;
export const toHex = bytesToHex;
export const utf8 = (text: string) => new TextEncoder().encode(text);

/** The backends every behaviour is checked with. */
export const backends: [string, CurveBackend][] = [
	["noble", nobleCurveBackend],
	["tiny-secp256k1", wasmCurveBackend],
];

/** Shape of umbral-pre-0.10.0-oracle-fixtures.json (fields the tests use). */
export interface OracleFixtures {
	parameters: { u_uncompressed: string };
	secret_key_factory: {
		seed: string;
		label: string;
		make_key_be: string;
		make_key_pk: string;
		make_secret: string;
		make_factory_then_make_key_k: string;
	}[];
	keys: Record<
		| "delegating_sk"
		| "delegating_pk"
		| "receiving_sk"
		| "receiving_pk"
		| "signer_sk"
		| "verifying_pk",
		string
	>;
	signature: { message_utf8: string; sig_be: string };
	encryption: {
		plaintext_utf8: string;
		capsule: string;
		capsule_simple: string;
		ciphertext: string;
	};
	kfrag_sets: {
		threshold: number;
		shares: number;
		sign_delegating_key: boolean;
		sign_receiving_key: boolean;
		kfrags: string[];
		cfrags_from_first_threshold_kfrags: { bytes: string; simple: string }[];
	}[];
}

export const oracleFixtures = () =>
	readUmbralVectors<OracleFixtures>("generated/umbral-pre-0.10.0-oracle-fixtures.json");
