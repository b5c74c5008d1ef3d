// Time-limited links outside the browser: the address is parsed strictly (a malformed id or
// secret is refused before any request), and the link's keys come from its secret, its id and,
// for a password link, the Argon2id-stretched password — a wrong password or secret gives keys
// the link's signed policy refuses.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formatLinkUrl, InvalidLinkError, parseLinkAddress } from "../../client/sharing/link-url";
import { stretchLinkPassword } from "../../client/sharing/links";
import { checkReceivedShare, prepareShare } from "../../client/sharing/share-core";
import {
	encryptionPublicKeyOf,
	generateKey,
	generateSecp256k1Key,
	toBase64url,
} from "../../crypto";
import { deriveLinkKeys } from "../../crypto/sharing";

const linkId = "0b6f3a52-7d1e-4c8a-9f21-5e3d2c1b0a99";
const secret = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
const encoded = toBase64url(secret);

describe("link addresses", () => {
	it("round-trips: the secret is only after #", () => {
		const url = formatLinkUrl("https://vault.example.org", linkId, secret);
		expect(url).toBe(`https://vault.example.org/s/${linkId}#${encoded}`);
		const parsed = parseLinkAddress(linkId, `#${encoded}`);
		expect(parsed.linkId).toBe(linkId);
		expect([...parsed.secret]).toEqual([...secret]);
	});

	const badIds = [
		"",
		"not-a-uuid",
		linkId.toUpperCase(),
		linkId.replaceAll("-", ""),
		`${linkId}0`,
		`../${linkId}`,
		`${linkId}%00`,
		" ".repeat(36),
	];
	it.each(badIds)("refuses the malformed id %j", (id) => {
		expect(() => parseLinkAddress(id, `#${encoded}`)).toThrow(InvalidLinkError);
	});

	const badSecrets = [
		"",
		"#",
		encoded, // no "#"
		`#${encoded.slice(0, 42)}`,
		`#${encoded}A`,
		`#${encoded.slice(0, 42)}=`,
		`#${encoded.slice(0, 42)}+`,
		`#${encoded.slice(0, 42)}/`,
		`#${encoded.slice(0, 41)}%41`,
		`#${"A".repeat(42)}B`, // non-canonical: the last character's unused bits are set
		`#${encoded}&x=1`,
		`#${"é".repeat(43)}`,
	];
	it.each(badSecrets)("refuses the malformed secret %j with a clear message", (hash) => {
		expect(() => parseLinkAddress(linkId, hash)).toThrow(InvalidLinkError);
		try {
			parseLinkAddress(linkId, hash);
		} catch (error) {
			expect((error as Error).name).toBe("InvalidLinkError");
			expect((error as Error).message).toMatch(/incomplete or damaged/);
		}
	});
});

describe("link keys", () => {
	it("come from the secret and the link id; another id or secret gives other keys", () => {
		const keys = deriveLinkKeys(secret, linkId);
		const again = deriveLinkKeys(secret, linkId);
		expect(toBase64url(again.receivingPk.toBytes())).toBe(toBase64url(keys.receivingPk.toBytes()));
		expect(toBase64url(again.requesterPk)).toBe(toBase64url(keys.requesterPk));
		const otherId = deriveLinkKeys(secret, randomUUID());
		const otherSecret = deriveLinkKeys(
			secret.map((byte) => byte ^ 1),
			linkId,
		);
		for (const other of [otherId, otherSecret]) {
			expect(toBase64url(other.receivingPk.toBytes())).not.toBe(
				toBase64url(keys.receivingPk.toBytes()),
			);
			expect(toBase64url(other.requesterPk)).not.toBe(toBase64url(keys.requesterPk));
		}
	});

	it("mix in the stretched password: same password and salt → same keys, else different", async () => {
		const salt = new Uint8Array(16).fill(3);
		const stretched = await stretchLinkPassword("correct horse", salt);
		expect(stretched).toHaveLength(32);
		expect(toBase64url(await stretchLinkPassword("correct horse", salt))).toBe(
			toBase64url(stretched),
		);
		expect(toBase64url(await stretchLinkPassword("correct horse", new Uint8Array(16)))).not.toBe(
			toBase64url(stretched),
		);
		const withPassword = deriveLinkKeys(secret, linkId, stretched);
		const without = deriveLinkKeys(secret, linkId);
		const wrong = deriveLinkKeys(secret, linkId, await stretchLinkPassword("Correct horse", salt));
		const pk = (keys: typeof without) => toBase64url(keys.receivingPk.toBytes());
		expect(new Set([pk(withPassword), pk(without), pk(wrong)]).size).toBe(3);
	});

	it("refuse empty passwords and malformed secrets", async () => {
		await expect(stretchLinkPassword("", new Uint8Array(16))).rejects.toThrow(RangeError);
		expect(() => deriveLinkKeys(secret.subarray(0, 31), linkId)).toThrow(/32 bytes/);
		expect(() => deriveLinkKeys(secret, linkId, new Uint8Array(8))).toThrow(/at least 32/);
	});

	it("a link's signed policy accepts only the keys of the right secret and password", async () => {
		const salt = new Uint8Array(16).fill(9);
		const keys = deriveLinkKeys(secret, linkId, await stretchLinkPassword("s3cret", salt));
		const proxies = Array.from({ length: 5 }, (_, i) => ({
			peerId: `peer-${i}`,
			encryptionPublicKey: toBase64url(
				encryptionPublicKeyOf(generateSecp256k1Key("EncryptionSecretKey")),
			),
		}));
		const prepared = prepareShare({
			id: linkId,
			owner: { userId: randomUUID(), accountKey: generateKey("AccountKey") },
			nodeKey: generateKey("NodeKey"),
			receivingPk: keys.receivingPk.toBytes(),
			requesterPk: keys.requesterPk,
			proxies,
			expiresAt: Date.now() + 7 * 24 * 3_600_000,
			useLimit: 1,
		});
		expect(prepared.id).toBe(linkId);
		const received = { ...prepared, proxies: proxies.map((proxy) => proxy.peerId) };
		const policy = checkReceivedShare(received, keys.receivingPk);
		expect(policy.useLimit).toBe(1);
		const wrongPassword = deriveLinkKeys(secret, linkId, await stretchLinkPassword("s3cre7", salt));
		expect(() => checkReceivedShare(received, wrongPassword.receivingPk)).toThrow(/someone else/);
		expect(() => checkReceivedShare(received, deriveLinkKeys(secret, linkId).receivingPk)).toThrow(
			/someone else/,
		);
	});
});
