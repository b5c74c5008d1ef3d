// The default curve backend, on @noble/curves alone (runs everywhere, including browsers).
// Secret scalars use noble's constant-time `multiply` (with 8-bit precomputed tables for G
// and U); `multiplyUnsafe`/`mulAddUnsafe` are used only for public scalars (verification).
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { G, nobleDecompress, Point, U } from "./curve";
import type { CurveBackend } from "./curve-backend";

// Own copies of G and U so the tables never change noble's shared Point.BASE. Lazy: the
// tables (about 4k points each) are built on first use.
const G_TABLE = new Point(G.X, G.Y, G.Z).precompute(8, true);
const U_TABLE = new Point(U.X, U.Y, U.Z).precompute(8, true);

/** @noble/curves backend: the default, portable and constant-time for secrets. */
export const nobleCurveBackend: CurveBackend = {
	name: "noble",
	mulBaseSecret: (k) => G_TABLE.multiply(k),
	mulUSecret: (k) => U_TABLE.multiply(k),
	mulSecret: (point, k) => point.multiply(k),
	mulPublic: (point, k) => point.multiplyUnsafe(k),
	add: (p, q) => p.add(q),
	decompress: nobleDecompress,
	mulAddPublic: (p, a, q, b) => {
		// With G or U first (capsule and cfrag checks), their tables beat Strauss–Shamir.
		const table = p === G ? G_TABLE : p === U ? U_TABLE : undefined;
		return table ? table.multiplyUnsafe(a).add(q.multiplyUnsafe(b)) : p.mulAddUnsafe(a, q, b);
	},
	signPrehash: (digest, secretKey) =>
		secp256k1.sign(digest, secretKey, {
			prehash: false,
			lowS: true,
			extraEntropy: true,
			format: "compact",
		}),
	verifyPrehash: (signature, digest, publicKey) => {
		try {
			return secp256k1.verify(signature, digest, publicKey, {
				prehash: false,
				lowS: true,
				format: "compact",
			});
		} catch {
			return false;
		}
	},
};
