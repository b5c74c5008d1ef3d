// Umbral timings (ms/op) for each curve backend, against the reference implementation
// (@nucypher/umbral-pre 0.10.0, rust-umbral in WASM) measured in the same run. Goal: within
// 1.5× of the oracle (issue 5). Parsing is included where a real peer receives bytes.
import * as oracle from "@nucypher/umbral-pre";
import {
	Capsule,
	CapsuleFrag,
	type CurveBackend,
	decryptOriginal,
	decryptReencrypted,
	encrypt,
	generateKFrags,
	KeyFrag,
	nobleCurveBackend,
	reencrypt,
	SecretKey,
	Signer,
} from "../crypto/umbral";
import { wasmCurveBackend } from "../p2p/proxy/wasm-curve-backend";
import type { BenchFigure } from "./harness";
import { medianMs } from "./harness";

const THRESHOLD = 3;
const SHARES = 5;
const PLAINTEXT = crypto.getRandomValues(new Uint8Array(32)); // a NodeKey
const TIMING = { minMs: 600, minRuns: 10, warmup: 3 };

type Operations = Record<string, () => void>;

/** The oracle's operations, freeing every WASM object it makes. */
function oracleOperations(): Operations {
	const skA = oracle.SecretKey.random();
	const skB = oracle.SecretKey.random();
	const pkA = skA.publicKey();
	const pkB = skB.publicKey();
	const signer = new oracle.Signer(oracle.SecretKey.random());
	const vpk = signer.verifyingKey();
	const [capsule, ciphertext] = oracle.encrypt(pkA, PLAINTEXT);
	const kfrags = oracle.generateKFrags(skA, pkB, signer, THRESHOLD, SHARES, true, true);
	const kfragBytes = kfrags.map((k) => k.toBytes());
	const cfrags = kfrags.slice(0, THRESHOLD).map((k) => oracle.reencrypt(capsule, k));
	const cfragBytes = cfrags[0]!.toBytes();
	const free = (...objects: { free(): void }[]) => {
		for (const o of objects) o.free();
	};
	return {
		encrypt: () => {
			const [c] = oracle.encrypt(pkA, PLAINTEXT);
			c.free();
		},
		decryptOriginal: () => void oracle.decryptOriginal(skA, capsule, ciphertext),
		"generateKFrags 3-of-5": () =>
			free(...oracle.generateKFrags(skA, pkB, signer, THRESHOLD, SHARES, true, true)),
		"KeyFrag.fromBytes + verify": () =>
			free(oracle.KeyFrag.fromBytes(kfragBytes[0]!).verify(vpk, pkA, pkB)),
		reencrypt: () => free(oracle.reencrypt(capsule, kfrags[0]!)),
		"CapsuleFrag.fromBytes + verify": () =>
			free(oracle.CapsuleFrag.fromBytes(cfragBytes).verify(capsule, vpk, pkA, pkB)),
		"decryptReencrypted 3 cfrags": () =>
			void oracle.decryptReencrypted(skB, pkA, capsule, cfrags, ciphertext),
		"share-and-open flow 3-of-5": () => {
			const [c, ct] = oracle.encrypt(pkA, PLAINTEXT);
			const capsuleBytes = c.toBytes();
			const ks = oracle.generateKFrags(skA, pkB, signer, THRESHOLD, SHARES, true, true);
			const sent = ks.map((k) => k.toBytes());
			free(...ks);
			const received = sent.slice(0, THRESHOLD).map((bytes) => {
				const proxyCapsule = oracle.Capsule.fromBytes(capsuleBytes);
				const verified = oracle.KeyFrag.fromBytes(bytes).verify(vpk, pkA, pkB);
				const cfrag = oracle.reencrypt(proxyCapsule, verified);
				const out = cfrag.toBytes();
				free(proxyCapsule, verified, cfrag);
				return out;
			});
			const opened = received.map((bytes) =>
				oracle.CapsuleFrag.fromBytes(bytes).verify(c, vpk, pkA, pkB),
			);
			oracle.decryptReencrypted(skB, pkA, c, opened, ct);
			free(c, ...opened);
		},
	};
}

/** Coffre's operations with one backend. */
function coffreOperations(backend: CurveBackend): Operations {
	const options = { backend };
	const skA = SecretKey.random();
	const skB = SecretKey.random();
	const pkA = skA.publicKey();
	const pkB = skB.publicKey();
	const signer = new Signer(SecretKey.random(), options);
	const vpk = signer.verifyingKey();
	const { capsule, ciphertext } = encrypt(pkA, PLAINTEXT, options);
	const share = () =>
		generateKFrags(
			{
				delegatingSk: skA,
				receivingPk: pkB,
				signer,
				threshold: THRESHOLD,
				shares: SHARES,
				signDelegatingKey: true,
				signReceivingKey: true,
			},
			options,
		);
	const kfrags = share();
	const kfragBytes = kfrags[0]!.toBytes();
	const cfrags = kfrags.slice(0, THRESHOLD).map((k) => reencrypt(capsule, k, options));
	const cfragBytes = cfrags[0]!.toBytes();
	return {
		encrypt: () => encrypt(pkA, PLAINTEXT, options),
		decryptOriginal: () => decryptOriginal(skA, capsule, ciphertext, options),
		"generateKFrags 3-of-5": share,
		"KeyFrag.fromBytes + verify": () =>
			KeyFrag.fromBytes(kfragBytes, options).verify(vpk, pkA, pkB, options),
		reencrypt: () => reencrypt(capsule, kfrags[0]!, options),
		"CapsuleFrag.fromBytes + verify": () =>
			CapsuleFrag.fromBytes(cfragBytes, options).verify(capsule, vpk, pkA, pkB, options),
		"decryptReencrypted 3 cfrags": () =>
			decryptReencrypted(skB, pkA, capsule, cfrags, ciphertext, options),
		"share-and-open flow 3-of-5": () => {
			const { capsule: c, ciphertext: ct } = encrypt(pkA, PLAINTEXT, options);
			const capsuleBytes = c.toBytes();
			const sent = share().map((k) => k.toBytes());
			const received = sent.slice(0, THRESHOLD).map((bytes) => {
				const proxyCapsule = Capsule.fromBytes(capsuleBytes, options);
				const verified = KeyFrag.fromBytes(bytes, options).verify(vpk, pkA, pkB, options);
				return reencrypt(proxyCapsule, verified, options).toBytes();
			});
			const opened = received.map((bytes) =>
				CapsuleFrag.fromBytes(bytes, options).verify(c, vpk, pkA, pkB, options),
			);
			decryptReencrypted(skB, pkA, c, opened, ct, options);
		},
	};
}

export default async function umbralBench(): Promise<BenchFigure[]> {
	const reference = oracleOperations();
	const figures: BenchFigure[] = [];
	for (const backend of [nobleCurveBackend, wasmCurveBackend]) {
		for (const [name, run] of Object.entries(coffreOperations(backend))) {
			// The reference is measured right before each figure: this machine is shared, and
			// pairing the two measurements in time keeps load changes out of the ratio.
			const referenceValue = await medianMs(reference[name] as () => void, TIMING);
			figures.push({
				name: `umbral ${name} (${backend.name})`,
				unit: "ms/op",
				value: await medianMs(run, TIMING),
				reference: "@nucypher/umbral-pre 0.10.0 (WASM)",
				referenceValue,
				goal: 1.5,
				higherIsBetter: false,
				note: `backend ${backend.name}; 32-byte plaintext; kfrags sign both keys; the flow parses capsule and fragments at each hop on both sides`,
			});
		}
	}
	return figures;
}
