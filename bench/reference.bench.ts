// Reference figures that other benchmarks divide by: native AES-256-GCM (WebCrypto) and
// memcpy throughput on this machine, measured in the same run.
import type { BenchFigure } from "./harness";
import { randomBytes, throughputMBps } from "./harness";

const SIZE = 64 * 2 ** 20;

/** WebCrypto AES-256-GCM encryption of one buffer, in MB/s. */
export async function measureAesGcm(size = SIZE): Promise<number> {
	const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt"]);
	const data = randomBytes(size);
	const iv = new Uint8Array(12);
	return throughputMBps(() => crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, data), size);
}

/** Copying one buffer into another, in MB/s. */
export async function measureMemcpy(size = SIZE): Promise<number> {
	const source = randomBytes(size);
	const target = new Uint8Array(size);
	return throughputMBps(() => target.set(source), size);
}

export default async function referenceBench(): Promise<BenchFigure[]> {
	const memcpy = await measureMemcpy();
	const aes = await measureAesGcm();
	return [
		{
			name: "memcpy",
			unit: "MB/s",
			value: memcpy,
			reference: "memcpy",
			referenceValue: memcpy,
			goal: 1,
			higherIsBetter: true,
			note: "64 MiB buffer",
		},
		{
			name: "WebCrypto AES-256-GCM encrypt",
			unit: "MB/s",
			value: aes,
			reference: "memcpy",
			referenceValue: memcpy,
			goal: 0,
			higherIsBetter: true,
			note: "64 MiB buffer; the reference for sealed-stream figures",
		},
	];
}
