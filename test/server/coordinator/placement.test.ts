// The node directory and shard placement on every database kind: registrations are recorded
// with their network, placement picks distinct nodes spread over networks, skips excluded
// ones, and says clearly when too few nodes are online.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { networkPrefix, recordNodeRegistration } from "../../../server/coordinator/node-registry";
import { chooseNodes } from "../../../server/coordinator/placement";
import { DATABASE_KINDS, setupTestDatabase } from "../../helpers/database";

const node = (peerId: string, ip: string) => ({
	peerId,
	addresses: [`/ip4/${ip}/tcp/4001/p2p/${peerId}`],
	capacityBytes: 10 * 2 ** 30,
	encryptionPublicKey: new Uint8Array(randomBytes(33)),
});

describe("network prefixes", () => {
	it.each([
		["/ip4/203.0.113.77/tcp/4001", "203.0.113.0/24"],
		["/ip6/2001:db8:85a3:1::1/tcp/4001", "2001:db8:85a3::/48"],
		["/dns4/node.example/tcp/4001", "unknown:peer"],
	])("%s is in %s", (address, prefix) => {
		expect(networkPrefix(address, "peer")).toBe(prefix);
	});
});

describe.each(DATABASE_KINDS)("placement on %s", (kind) => {
	const database = setupTestDatabase(kind);

	it("records registrations and refreshes them", async () => {
		const { db } = database.current;
		await recordNodeRegistration(db, node("peer-refresh", "198.51.100.9"));
		await recordNodeRegistration(db, {
			...node("peer-refresh", "198.51.100.10"),
			capacityBytes: 5,
		});
		const row = await db.storageNode.findUniqueOrThrow({ where: { peerId: "peer-refresh" } });
		expect(row).toMatchObject({
			networkPrefix: "198.51.100.0/24",
			capacityBytes: 5n,
			status: "vetting",
		});
		expect(row.addresses[0]).toContain("198.51.100.10");
	});

	it("places six shards on six distinct nodes, spread over networks first", async () => {
		const { db } = database.current;
		await db.storageNode.deleteMany();
		for (let i = 0; i < 4; i++)
			await recordNodeRegistration(db, node(`peer-a${i}`, `10.1.1.${i + 1}`));
		for (let i = 0; i < 4; i++)
			await recordNodeRegistration(db, node(`peer-b${i}`, `10.2.2.${i + 1}`));
		for (let round = 0; round < 10; round++) {
			const chosen = await chooseNodes(db, { count: 6 });
			expect(new Set(chosen.map((target) => target.peerId)).size).toBe(6);
			const perNetwork = (prefix: string) =>
				chosen.filter((target) => target.peerId.startsWith(prefix)).length;
			expect(perNetwork("peer-a")).toBe(3);
			expect(perNetwork("peer-b")).toBe(3);
		}
	});

	it("never chooses an excluded node and refuses clearly when too few remain", async () => {
		const { db } = database.current;
		await db.storageNode.deleteMany();
		for (let i = 0; i < 6; i++)
			await recordNodeRegistration(db, node(`peer-${i}`, `10.3.3.${i + 1}`));
		const chosen = await chooseNodes(db, { count: 4, exclude: ["peer-0", "peer-1"] });
		expect(chosen.map((target) => target.peerId).sort()).toEqual([
			"peer-2",
			"peer-3",
			"peer-4",
			"peer-5",
		]);
		await expect(chooseNodes(db, { count: 6, exclude: ["peer-0"] })).rejects.toMatchObject({
			code: "UNAVAILABLE",
			message: expect.stringMatching(/5 of the 6 needed/),
		});
	});
});
