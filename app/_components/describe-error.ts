// One place that turns any failure into a sentence a person can act on. Server errors carry
// their own messages (written for people); everything unexpected gets a generic one.
import { apiErrorCode } from "../../client/api";

const SHARING_ERRORS = new Set([
	"InvalidShareExpiryError",
	"NotEnoughProxiesError",
	"ShareWithSelfError",
	"ShareNotForMeError",
	"ShareUnavailableError",
	"SharedItemUnverifiableError",
]);

export function describeError(error: unknown): string {
	const name = (error as { name?: string }).name;
	if (
		name === "PasskeyCancelledError" ||
		name === "PasskeyUnsupportedError" ||
		name === "PassphraseCancelledError" ||
		// Transfers and their records speak for themselves (client/vault).
		name === "TransferError" ||
		name === "UploadStateError" ||
		// The storage left, as the vault page last read it (app/vault/storage-room).
		name === "StorageFullError" ||
		// A folder's saved contents that do not verify or were rolled back (client/vault).
		name === "FolderStateError" ||
		// Links and shares say what ended them; identities say what to do (client/sharing,
		// client/account).
		name === "LinkError" ||
		name === "InvalidLinkError" ||
		name === "ShareEndedError" ||
		name === "IdentityChangedError" ||
		SHARING_ERRORS.has(name ?? "")
	) {
		return (error as Error).message;
	}
	if (name === "IntegrityError" || name === "KeyCommitmentError") {
		return "Your keys could not be opened: the passphrase or passkey does not match, or the stored data was altered.";
	}
	const code = apiErrorCode(error);
	if (code && code !== "INTERNAL") return (error as Error).message;
	if (error instanceof TypeError)
		return "Coffre cannot reach the server. Check your connection and try again.";
	return "Something went wrong. Please try again.";
}
