"use client";
// React access to the account: the server session (who is signed in) and this tab's unlocked
// keys (present only after a passkey ceremony in this tab).
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import {
	getUnlockedAccount,
	subscribeToUnlockedAccount,
} from "../../client/account/unlocked-account";
import { api } from "./api-client";

export type SessionUser = { id: string; handle: string; displayName: string };

export function useUnlockedAccount() {
	return useSyncExternalStore(subscribeToUnlockedAccount, getUnlockedAccount, () => null);
}

/** The signed-in user (undefined while loading, null when signed out). */
export function useSessionUser(): { user: SessionUser | null | undefined; refresh: () => void } {
	const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
	const refresh = useCallback(() => {
		api.auth.session.query().then(
			(session) => setUser(session.user),
			() => setUser(null),
		);
	}, []);
	useEffect(() => refresh(), [refresh]);
	return { user, refresh };
}
