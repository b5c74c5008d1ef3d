// What an interrupted upload needs to continue, kept on the server sealed under the file's
// NodeKey (purpose "upload-state", bound to file and version): the sealed stream's header and
// the source file's name, size and modification time, so the browser can check that the file
// picked to resume is the same one. The server never learns any of it.
import {
	fromBase64url,
	fromUtf8,
	type NodeKey,
	openBox,
	sealBox,
	toBase64url,
	utf8,
} from "../../crypto";

export interface UploadState {
	/** The sealed stream's header. */
	header: Uint8Array;
	name: string;
	size: number;
	lastModified: number;
}

export class UploadStateError extends Error {
	override name = "UploadStateError";
}

const bound = (fileId: string, versionId: string) => ({ node: fileId, version: versionId });

/** Seals the state of a starting upload; returns it base64url for the API. */
export function sealUploadState(
	state: UploadState,
	nodeKey: NodeKey,
	ids: { fileId: string; versionId: string },
): string {
	const plaintext = utf8(
		JSON.stringify({
			header: toBase64url(state.header),
			name: state.name,
			size: state.size,
			lastModified: state.lastModified,
		}),
	);
	return toBase64url(
		sealBox({
			key: nodeKey,
			purpose: "upload-state",
			boundTo: bound(ids.fileId, ids.versionId),
			plaintext,
		}),
	);
}

/** Opens and checks a sealed upload state; throws UploadStateError when it does not verify. */
export function openUploadState(
	sealed: string,
	nodeKey: NodeKey,
	ids: { fileId: string; versionId: string },
): UploadState {
	let parsed: unknown;
	try {
		parsed = JSON.parse(
			fromUtf8(
				openBox({
					key: nodeKey,
					purpose: "upload-state",
					boundTo: bound(ids.fileId, ids.versionId),
					box: fromBase64url(sealed),
				}),
			),
		);
	} catch {
		throw new UploadStateError("This interrupted upload's record does not verify.");
	}
	const record = parsed as Partial<Record<keyof UploadState, unknown>>;
	if (
		typeof record.header !== "string" ||
		typeof record.name !== "string" ||
		!Number.isSafeInteger(record.size) ||
		!Number.isSafeInteger(record.lastModified)
	) {
		throw new UploadStateError("This interrupted upload's record is malformed.");
	}
	return {
		header: fromBase64url(record.header),
		name: record.name,
		size: record.size as number,
		lastModified: record.lastModified as number,
	};
}
