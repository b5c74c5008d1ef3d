// The page of a time-limited link, /s/<id>#<secret> (DESIGN §7): no account needed. The server
// renders only the frame; the client component reads the secret from the address's fragment,
// which browsers never send, and does all the opening and decrypting in this tab.
import type { Metadata } from "next";
import { LinkPage } from "./link-page";

export const metadata: Metadata = {
	title: "Shared file",
	referrer: "no-referrer",
	robots: { index: false, follow: false },
};

export default async function SharedLinkPage({ params }: { params: Promise<{ id: string }> }) {
	const { id } = await params;
	return (
		<div className="mx-auto flex max-w-xl flex-col gap-6 px-6 py-12">
			<LinkPage linkId={id} />
		</div>
	);
}
