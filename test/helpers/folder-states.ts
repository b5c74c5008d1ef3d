// Folder states as versions of Coffre before states were signed saved them (version 1: the
// state bytes alone, same layout, no signature), for tests of how they are still read and
// replaced. Built from today's encoding with its version byte set back to 1.
import {
	encodeFolderState,
	type FolderState,
	type FolderStateBinding,
} from "../../client/vault/folder-state";
import { type BoxKey, sealBox, toBase64url } from "../../crypto";

/** A version 1 state sealed under the folder's key, as base64url. */
export function sealUnsignedFolderState(
	state: FolderState,
	key: BoxKey,
	binding: FolderStateBinding,
): string {
	const plaintext = encodeFolderState(state);
	plaintext[0] = 1;
	return toBase64url(
		sealBox({
			key,
			purpose: "folder-state",
			boundTo: { vault: binding.vaultId, folder: binding.folderId },
			plaintext,
		}),
	);
}
