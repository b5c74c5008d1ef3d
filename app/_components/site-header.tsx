// The bar at the top of every page: the name, and navigation to the parts of the landing page.
import Link from "next/link";
import { CoffreMark } from "./coffre-mark";
import { HeaderAccountLinks } from "./header-account-links";

export function SiteHeader() {
	return (
		<header className="border-b border-slate-200 bg-white">
			<div className="mx-auto flex max-w-6xl items-center justify-between gap-6 px-6 py-4">
				<Link href="/" className="flex items-center gap-2 text-lg font-semibold text-brand-900">
					<CoffreMark className="h-7 w-7" />
					Coffre
				</Link>
				<nav aria-label="Main">
					<ul className="flex items-center gap-6 text-sm font-medium text-slate-700">
						<li>
							<a className="hover:text-brand-700" href="/#how-it-works">
								How it works
							</a>
						</li>
						<li>
							<a className="hover:text-brand-700" href="/#security">
								Security
							</a>
						</li>
						<li>
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
