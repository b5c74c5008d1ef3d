// The WASM curve backend (p2p/proxy, libsecp256k1) computes exactly what the @noble/curves
// backend computes, for random scalars and points, and each verifies the other's signatures;
// the wrappers never hand a zero scalar or the identity to a backend.
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nobleCurveBackend } from "../../../crypto/umbral";
import { CURVE_ORDER, Point, scalarToBytes, U } from "../../../crypto/umbral/curve";
import {
	add,
	mul,
	mulAddPublic,
	mulBase,
	mulPublic,
	mulU,
} from "../../../crypto/umbral/curve-backend";
import { wasmCurveBackend } from "../../../p2p/proxy/wasm-curve-backend";

const scalar = fc.bigInt({ min: 1n, max: CURVE_ORDER - 1n });
const noble = nobleCurveBackend;
const wasm = wasmCurveBackend;

describe("curve backends agree", () => {
	it("on k·G, k·U, k·P, a·P + b·Q, P + Q and decompression", () => {
		fc.assert(
			fc.property(scalar, scalar, scalar, (a, b, k) => {
				const p = noble.mulBaseSecret(a);
				const q = noble.mulUSecret(b);
				expect(wasm.mulBaseSecret(k).equals(noble.mulBaseSecret(k))).toBe(true);
				expect(wasm.mulUSecret(k).equals(U.multiply(k))).toBe(true);
				expect(wasm.mulSecret(p, k).equals(noble.mulSecret(p, k))).toBe(true);
				expect(wasm.mulPublic(q, k).equals(noble.mulPublic(q, k))).toBe(true);
				expect(wasm.mulAddPublic(p, k, q, a).equals(noble.mulAddPublic(p, k, q, a))).toBe(true);
				expect(noble.mulAddPublic(U, k, p, b).equals(U.multiply(k).add(p.multiply(b)))).toBe(true);
				expect(wasm.add(p, q).equals(p.add(q))).toBe(true);
				expect(wasm.decompress(p.toBytes(true)).equals(p)).toBe(true);
			}),
			{ numRuns: 20 },
		);
	});

	it("on ECDSA: each verifies the other's low-S signatures and refuses other digests", () => {
		fc.assert(
			fc.property(scalar, fc.uint8Array({ maxLength: 64 }), (k, message) => {
				const sk = scalarToBytes(k);
				const pk = noble.mulBaseSecret(k).toBytes(true);
				const digest = sha256(message);
				const other = sha256(Uint8Array.of(...message, 0));
				for (const [signer, verifier] of [
					[noble, wasm],
					[wasm, noble],
				] as const) {
					const signature = signer.signPrehash(digest, sk);
					expect(
						BigInt(`0x${Buffer.from(signature.subarray(32)).toString("hex")}`) <= CURVE_ORDER / 2n,
					).toBe(true);
					expect(verifier.verifyPrehash(signature, digest, pk)).toBe(true);
					expect(verifier.verifyPrehash(signature, other, pk)).toBe(false);
				}
			}),
			{ numRuns: 10 },
		);
	});

	it.each([
		["noble", noble],
		["tiny-secp256k1", wasm],
	] as const)(
		"%s: zero scalars and identities are handled before the backend",
		(_name, backend) => {
			const p = backend.mulBaseSecret(7n);
			expect(mulBase(backend, 0n).is0()).toBe(true);
			expect(mulU(backend, 0n).is0()).toBe(true);
			expect(mul(backend, p, 0n).is0()).toBe(true);
			expect(mul(backend, Point.ZERO, 5n).is0()).toBe(true);
			expect(mulPublic(backend, p, 0n).is0()).toBe(true);
			expect(mulAddPublic(backend, p, 0n, p, 0n).is0()).toBe(true);
			expect(mulAddPublic(backend, p, 2n, Point.ZERO, 3n).equals(p.double())).toBe(true);
			expect(add(backend, p, p.negate()).is0()).toBe(true);
			expect(add(backend, Point.ZERO, p).equals(p)).toBe(true);
		},
	);
});
