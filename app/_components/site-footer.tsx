// The footer of every page: what Coffre is, and the honest limits of its promises.
export function SiteFooter() {
	return (
		<footer className="border-t border-slate-200 bg-white">
			<div className="mx-auto max-w-6xl px-6 py-8 text-sm text-slate-600">
				<p>
					Coffre is open-source software. Your files are encrypted in your browser before they leave
					it; the server and the storage network only ever hold ciphertext.
				</p>
			</div>
		</footer>
	);
}
