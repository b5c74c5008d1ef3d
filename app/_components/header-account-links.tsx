"use client";
// The header's account links: "Sign in" and "Create your vault" for visitors, "Shared",
// "Shared with me" and "Your vault" for people already signed in.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { useSessionUser } from "./use-account";

export function HeaderAccountLinks() {
	const { user, refresh } = useSessionUser();
	const pathname = usePathname();
	// The layout stays mounted across navigations: check the session again on each page.
	useEffect(() => {
		if (pathname) refresh();
	}, [pathname, refresh]);
	if (user) {
		return (
			<>
				<li>
					<Link className="hover:text-brand-700" href="/shared">
						Shared
					</Link>
				</li>
				<li>
					<Link className="hover:text-brand-700" href="/shared-with-me">
						Shared with me
					</Link>
				</li>
				<li>
					<Link
						className="rounded-md bg-brand-600 px-3 py-2 text-white hover:bg-brand-700"
						href="/vault"
					>
						Your vault
					</Link>
				</li>
			</>
		);
	}
	return (
		<>
			<li>
				<Link className="hover:text-brand-700" href="/signin">
					Sign in
				</Link>
			</li>
			<li>
				<Link
					className="rounded-md bg-brand-600 px-3 py-2 text-white hover:bg-brand-700"
					href="/signup"
				>
					Create your vault
				</Link>
			</li>
		</>
	);
}
