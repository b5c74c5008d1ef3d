// promptCollection allocates what it is asked for, in fresh arrays, every call (the upload
// worker relies on it to keep young collections coming; the effect on memory is the vault
// bench's to measure).
import { expect, it } from "vitest";
import { lastPromptArray, promptCollection } from "../../client/vault/prompt-collection";

it("allocates fresh 4 KiB arrays for the bytes asked, none for zero", () => {
	promptCollection(4096);
	const first = lastPromptArray();
	expect(first).toBeInstanceOf(Array);
	expect((first as unknown[]).length).toBe(512);
	promptCollection(0);
	expect(lastPromptArray()).toBe(first);
	promptCollection(3 * 4096);
	expect(lastPromptArray()).not.toBe(first);
});
