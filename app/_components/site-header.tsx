// The bar at the top of every page: the name, and navigation to the parts of the landing page
// (on narrow screens only the account links: the landing page has the rest itself). Wraps
// instead of overflowing a phone's width.
import Link from "next/link";
import { CoffreMark } from "./coffre-mark";
import { HeaderAccountLinks } from "./header-account-links";

export function SiteHeader() {
	return (
		<header className="border-b border-slate-200 bg-white">
			<div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-3 px-6 py-4">
				<Link href="/" className="flex items-center gap-2 text-lg font-semibold text-brand-900">
					<CoffreMark className="h-7 w-7" />
					Coffre
				</Link>
				<nav aria-label="Main">
					<ul className="flex flex-wrap items-center justify-end gap-x-6 gap-y-2 text-sm font-medium whitespace-nowrap text-slate-700">
						<li className="hidden md:list-item">
							<a className="hover:text-brand-700" href="/#how-it-works">
								How it works
							</a>
						</li>
						<li className="hidden md:list-item">
							<a className="hover:text-brand-700" href="/#security">
								Security
							</a>
						</li>
						<li className="hidden md:list-item">
							<a className="hover:text-brand-700" href="/#run-it">
								Run it
							</a>
						</li>
						<HeaderAccountLinks />
					</ul>
				</nav>
			</div>
		</header>
	);
}
