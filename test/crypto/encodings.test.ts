// Strict base64url and the canonical byte helpers: one encoding per byte string, typed errors on
// anything else, constant-time equality that still gives the right answer.
import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter, equalBytes, idBytes, u64be } from "../../crypto/bytes";
import { fromBase64url, toBase64url } from "../../crypto/index";

function errorName(fn: () => unknown): string | undefined {
	try {
		fn();
	} catch (error) {
		return (error as Error).name;
	}
	return undefined;
}

describe("base64url", () => {
	it("round-trips any bytes and matches Node's base64url encoder", () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
				const text = toBase64url(bytes);
				expect(text).toBe(Buffer.from(bytes).toString("base64url"));
				expect(fromBase64url(text)).toEqual(bytes);
			}),
			{ numRuns: 300 },
		);
	});

	it("encodes the RFC 4648 §10 vectors (unpadded)", () => {
		const cases: [string, string][] = [
			["", ""],
			["f", "Zg"],
			["fo", "Zm8"],
			["foo", "Zm9v"],
			["foob", "Zm9vYg"],
			["fooba", "Zm9vYmE"],
			["foobar", "Zm9vYmFy"],
		];
		for (const [plain, encoded] of cases) {
			expect(toBase64url(new TextEncoder().encode(plain))).toBe(encoded);
			expect(new TextDecoder().decode(fromBase64url(encoded))).toBe(plain);
		}
		expect(toBase64url(Uint8Array.of(0xfb, 0xff))).toBe("-_8");
	});

	it("rejects padding, standard-alphabet characters, whitespace and impossible lengths", () => {
		for (const bad of ["Zg==", "Zm8=", "+/8", "ab/c", "Zm 9v", "Zm9v\n", "A", "Zm9vY", "é123"]) {
			expect(
				errorName(() => fromBase64url(bad)),
				bad,
			).toBe("FormatError");
		}
	});

	it("rejects non-canonical trailing bits, so each byte string has exactly one encoding", () => {
		expect(fromBase64url("Zg")).toEqual(Uint8Array.of(0x66));
		expect(errorName(() => fromBase64url("Zh"))).toBe("FormatError");
		expect(errorName(() => fromBase64url("Zm9"))).toBe("FormatError");
	});
});

describe("byte helpers", () => {
	it("equalBytes agrees with element-wise equality", () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
				expect(equalBytes(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
				expect(equalBytes(a, Uint8Array.from(a))).toBe(true);
			}),
		);
	});

	it("writes and reads u32/u64 big-endian and length-prefixed fields, rejecting leftovers", () => {
		const bytes = new ByteWriter()
			.u8(7)
			.u32(0x01020304)
			.u64(2 ** 53 - 1)
			.shortBytes(idBytes("node-1"))
			.finish();
		const reader = new ByteReader(bytes, "record");
		expect([reader.u8(), reader.u32(), reader.u64(), reader.id()]).toEqual([
			7,
			0x01020304,
			2 ** 53 - 1,
			"node-1",
		]);
		reader.end();
		const longer = new ByteReader(new Uint8Array([...bytes, 0]), "record");
		longer.bytes(bytes.length);
		expect(errorName(() => longer.end())).toBe("FormatError");
		expect(errorName(() => new ByteReader(bytes.subarray(0, 3), "record").u32())).toBe(
			"FormatError",
		);
	});

	it("refuses sizes above 2^53 − 1, empty or over-long ids and invalid UTF-8", () => {
		expect(errorName(() => u64be(2 ** 53))).toBe("FormatError");
		const tooBig = new Uint8Array(8).fill(0xff);
		expect(errorName(() => new ByteReader(tooBig, "size").u64())).toBe("FormatError");
		expect(errorName(() => idBytes(""))).toBe("FormatError");
		expect(errorName(() => idBytes("x".repeat(256)))).toBe("FormatError");
		expect(idBytes("x".repeat(255)).length).toBe(255);
		expect(errorName(() => idBytes("a\uD800"))).toBe("FormatError"); // lone surrogate
		expect(idBytes("é😀").length).toBe(6);
		expect(errorName(() => new ByteReader(Uint8Array.of(1, 0xff), "id").id())).toBe("FormatError");
	});
});
