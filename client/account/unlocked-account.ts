// The signed-in user's unlocked keys, held only in this tab's memory (DESIGN §3): never in
// storage, never sent anywhere. "Lock now", sign-out and closing the tab forget them; React
// components subscribe to changes.
import type { UnlockedKeys } from "./account-keys";

export interface UnlockedAccount {
	user: { id: string; handle: string; displayName: string };
	keys: UnlockedKeys;
}

let current: UnlockedAccount | null = null;
const listeners = new Set<() => void>();

function notify(): void {
	for (const listener of listeners) listener();
}

export function getUnlockedAccount(): UnlockedAccount | null {
	return current;
}

export function setUnlockedAccount(account: UnlockedAccount): void {
	current = account;
	notify();
}

/** Forgets the keys (best effort: overwrites the key bytes this module holds). */
export function lockAccount(): void {
	current?.keys.forget();
	current = null;
	notify();
}

export function subscribeToUnlockedAccount(listener: () => void): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}
