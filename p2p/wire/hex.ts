// Hex for shard roots in file names and logs (roots are public addresses, never secrets).

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Bytes of a lower-case hex string, or null when it is not exactly `length` bytes of hex. */
export function fromHex(text: string, length: number): Uint8Array | null {
	if (text.length !== length * 2 || !/^[0-9a-f]*$/.test(text)) return null;
	return Uint8Array.from(Buffer.from(text, "hex"));
}
