// The root layout: document shell, skip link, site header and footer. Rendered per request so
// every page carries that request's CSP nonce (proxy.ts).
import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { SiteFooter } from "./_components/site-footer";
import { SiteHeader } from "./_components/site-header";
import "./globals.css";

export const metadata: Metadata = {
	title: { default: "Coffre — the vault only you can open", template: "%s · Coffre" },
	description:
		"Coffre is an open-source, end-to-end encrypted vault for documents. Files are encrypted in your browser and stored on a network of volunteer machines.",
	referrer: "no-referrer",
	icons: { icon: "/icon.svg" },
};

export const viewport: Viewport = { themeColor: "#0f2f6e", width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
	// Nonces are per request: never serve a cached page.
	await connection();
	return (
		<html lang="en">
			<body className="flex min-h-screen flex-col">
				<a
					href="#main"
					className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-4 focus:py-2 focus:text-ink focus:shadow"
				>
					Skip to content
				</a>
				<SiteHeader />
				<main id="main" className="flex-1">
					{children}
				</main>
				<SiteFooter />
			</body>
		</html>
	);
}
