// Sealed box (DESIGN §4): round trips, the exact byte layout, key commitment checked before
// decryption, every flipped byte of every field refused with its typed error, and a box for one
// purpose or set of ids never opening as another.
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BoxPurpose } from "../../crypto/index";
import {
	BOX_OVERHEAD,
	BOX_PURPOSES,
	generateKey,
	importSecretKey,
	openBox,
	sealBox,
} from "../../crypto/index";

const key = generateKey("NodeKey");
const boundTo = { node: "node-1", parent: "folder-1" };

function openError(run: () => unknown): string | undefined {
	try {
		run();
	} catch (error) {
		return (error as Error).name;
	}
	return undefined;
}

describe("sealed box", () => {
	it("round-trips any plaintext, including empty, with a 73-byte overhead", () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 2048 }), (plaintext) => {
				const box = sealBox({
					key,
					purpose: "node-metadata",
					boundTo: { node: "n", version: "v" },
					plaintext,
				});
				expect(box.length).toBe(plaintext.length + BOX_OVERHEAD);
				expect(
					openBox({ key, purpose: "node-metadata", boundTo: { node: "n", version: "v" }, box }),
				).toEqual(plaintext);
			}),
			{ numRuns: 100 },
		);
	});

	it("uses a fresh nonce each time: sealing twice gives different boxes", () => {
		const plaintext = new TextEncoder().encode("same");
		const a = sealBox({ key, purpose: "node-name", boundTo, plaintext });
		const b = sealBox({ key, purpose: "node-name", boundTo, plaintext });
		expect(a.subarray(1, 25)).not.toEqual(b.subarray(1, 25));
	});

	it("never hands out the same nonce twice, across many refills of the nonce pool", () => {
		const plaintext = new TextEncoder().encode("x");
		const seen = new Set<string>();
		// 2,000 boxes × 24 nonce bytes = about twelve refills of the 4 KiB pool.
		for (let i = 0; i < 2000; i++) {
			const nonce = sealBox({ key, purpose: "node-name", boundTo, plaintext }).subarray(1, 25);
			expect(nonce.some((byte) => byte !== 0)).toBe(true);
			seen.add(Buffer.from(nonce).toString("hex"));
		}
		expect(seen.size).toBe(2000);
	});

	it("follows the documented layout: version, nonce, HMAC commitment, XChaCha20-Poly1305 with the length-prefixed AD", () => {
		const plaintext = new TextEncoder().encode("report.pdf");
		const box = sealBox({ key, purpose: "node-name", boundTo, plaintext });
		expect(box[0]).toBe(1);
		const nonce = box.subarray(1, 25);
		const commitment = box.subarray(25, 57);
		const keyBytes = key.exportBytes();
		const label = new TextEncoder().encode("coffre/commit/v1");
		expect(commitment).toEqual(hmac(sha256, keyBytes, new Uint8Array([...label, ...nonce])));
		const text = (s: string) => [s.length, ...new TextEncoder().encode(s)];
		const ad = Uint8Array.from([
			1,
			...text("node-name"),
			2,
			...text("node"),
			...text("node-1"),
			...text("parent"),
			...text("folder-1"),
		]);
		expect(xchacha20poly1305(keyBytes, nonce, ad).decrypt(box.subarray(57))).toEqual(plaintext);
	});

	it("refuses every flipped byte of every field with the typed error of that field", () => {
		const box = sealBox({
			key,
			purpose: "node-name",
			boundTo,
			plaintext: new TextEncoder().encode("hello"),
		});
		const expected = (index: number) => {
			if (index === 0) return "UnsupportedVersionError";
			if (index < 57) return "KeyCommitmentError"; // nonce or commitment
			return "IntegrityError"; // ciphertext or tag
		};
		for (let i = 0; i < box.length; i++) {
			for (const bit of [0x01, 0x80]) {
				const tampered = Uint8Array.from(box);
				tampered[i] = (tampered[i] as number) ^ bit;
				expect(
					openError(() => openBox({ key, purpose: "node-name", boundTo, box: tampered })),
					`byte ${i}`,
				).toBe(expected(i));
			}
		}
	});

	it("refuses truncated, extended and empty boxes", () => {
		const box = sealBox({ key, purpose: "node-name", boundTo, plaintext: new Uint8Array(10) });
		expect(
			openError(() =>
				openBox({ key, purpose: "node-name", boundTo, box: box.subarray(0, box.length - 1) }),
			),
		).toBe("IntegrityError");
		expect(
			openError(() =>
				openBox({ key, purpose: "node-name", boundTo, box: box.subarray(0, BOX_OVERHEAD - 1) }),
			),
		).toBe("FormatError");
		expect(
			openError(() =>
				openBox({ key, purpose: "node-name", boundTo, box: new Uint8Array([...box, 0]) }),
			),
		).toBe("IntegrityError");
		expect(
			openError(() => openBox({ key, purpose: "node-name", boundTo, box: new Uint8Array(0) })),
		).toBe("FormatError");
	});

	it("checks the key commitment before decrypting: a wrong key gives KeyCommitmentError", () => {
		const box = sealBox({ key, purpose: "node-name", boundTo, plaintext: new Uint8Array(3) });
		expect(
			openError(() => openBox({ key: generateKey("NodeKey"), purpose: "node-name", boundTo, box })),
		).toBe("KeyCommitmentError");
	});

	it("never opens for another purpose, other ids, or a shuffled id assignment", () => {
		const box = sealBox({ key, purpose: "node-key", boundTo, plaintext: new Uint8Array(32) });
		const attempts: [BoxPurpose, Record<string, string>][] = [
			["node-name", boundTo],
			["node-key", { node: "node-2", parent: "folder-1" }],
			["node-key", { node: "node-1", parent: "folder-2" }],
			["node-key", { node: "folder-1", parent: "node-1" }],
			["node-key", { node: "node-1f", parent: "older-1" }],
		];
		for (const [purpose, ids] of attempts) {
			expect(
				openError(() => openBox({ key, purpose, boundTo: ids as never, box })),
				`${purpose} ${JSON.stringify(ids)}`,
			).toBe("IntegrityError");
		}
		expect(openBox({ key, purpose: "node-key", boundTo, box })).toEqual(new Uint8Array(32));
	});

	it("never opens under any other assignment of ids, however the characters are split (property)", () => {
		const idText = fc.string({ minLength: 1, maxLength: 12 });
		fc.assert(
			fc.property(idText, idText, idText, idText, (node, parent, otherNode, otherParent) => {
				fc.pre(node !== otherNode || parent !== otherParent);
				const box = sealBox({
					key,
					purpose: "node-key",
					boundTo: { node, parent },
					plaintext: new Uint8Array(32),
				});
				expect(
					openError(() =>
						openBox({
							key,
							purpose: "node-key",
							boundTo: { node: otherNode, parent: otherParent },
							box,
						}),
					),
				).toBe("IntegrityError");
			}),
			{ numRuns: 200 },
		);
	});

	it("refuses unknown purposes and missing or extra ids before doing any crypto", () => {
		const plaintext = new Uint8Array(1);
		const loose = sealBox as (input: unknown) => Uint8Array;
		expect(
			openError(() => loose({ key, purpose: "no-such-purpose", boundTo: {}, plaintext })),
		).toBe("FormatError");
		expect(
			openError(() => loose({ key, purpose: "node-key", boundTo: { node: "n" }, plaintext })),
		).toBe("FormatError");
		expect(
			openError(() =>
				loose({ key, purpose: "node-key", boundTo: { ...boundTo, extra: "x" }, plaintext }),
			),
		).toBe("FormatError");
		expect(
			openError(() =>
				loose({ key, purpose: "node-key", boundTo: { node: "", parent: "p" }, plaintext }),
			),
		).toBe("FormatError");
	});

	it("has a binding list for every purpose", () => {
		for (const fields of Object.values(BOX_PURPOSES)) expect(fields.length).toBeGreaterThan(0);
	});

	it("error messages never contain the key or the plaintext", () => {
		const secretKey = importSecretKey("NodeKey", new Uint8Array(32).fill(0xab));
		const plaintext = new TextEncoder().encode("canary-plaintext-123");
		const box = sealBox({ key: secretKey, purpose: "node-name", boundTo, plaintext });
		const tampered = Uint8Array.from(box);
		tampered[box.length - 1] = (tampered[box.length - 1] as number) ^ 1;
		for (const run of [
			() => openBox({ key: secretKey, purpose: "node-name", boundTo, box: tampered }),
			() => openBox({ key: generateKey("NodeKey"), purpose: "node-name", boundTo, box }),
		]) {
			try {
				run();
				expect.unreachable();
			} catch (error) {
				const text = `${String(error)} ${(error as Error).stack}`;
				expect(text).not.toContain("canary-plaintext");
				expect(text.toLowerCase()).not.toContain("abababab");
			}
		}
	});
});
