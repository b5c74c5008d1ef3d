// The landing page: what Coffre is, how it protects files, what it does not promise, and how
// to run it.
import Link from "next/link";
import { CoffreMark } from "./_components/coffre-mark";

const steps = [
	{
		title: "Sign in with a passkey",
		text: "No password exists. Your device's passkey unlocks your keys through the WebAuthn PRF extension, and they never leave your browser unwrapped.",
	},
	{
		title: "Encrypted before it leaves",
		text: "Each file is cut into chunks and sealed with AES-256-GCM in your browser. File names and folders are encrypted too.",
	},
	{
		title: "Spread over volunteer machines",
		text: "Sealed chunks are erasure-coded into shards and stored on independent storage nodes. A file survives nodes that vanish, lie or misbehave.",
	},
	{
		title: "Share without giving keys away",
		text: "Storage nodes re-encrypt a key for your recipient with Umbral threshold proxy re-encryption. They enforce expiry and revocation and learn nothing.",
	},
];

const promises = [
	"No plaintext, file name, unwrapped key or link secret ever reaches the server, its database, its logs or the storage nodes.",
	"Any change to stored data is detected: you get an integrity error, never wrong content.",
	"Keys are only ever wrapped to identities you have verified; a changed key is shown to you.",
	"A file survives the loss of several storage nodes, and no node can make your browser accept corrupt data.",
];

const limits = [
	"A server that sends you malicious JavaScript could defeat any web app, this one included.",
	"Enough storage nodes acting together could ignore a link's expiry.",
	"File sizes and the timing of your activity are visible to the server.",
];

export default function LandingPage() {
	return (
		<>
			<section aria-labelledby="hero-title" className="bg-brand-900 text-white">
				<div className="mx-auto flex max-w-6xl flex-col gap-8 px-6 py-20 md:flex-row md:items-center">
					<div className="flex-1">
						<h1 id="hero-title" className="text-4xl font-bold tracking-tight md:text-5xl">
							The vault only you can open.
						</h1>
						<p className="mt-6 max-w-2xl text-lg text-brand-100">
							Coffre keeps your documents end-to-end encrypted and stores them on a peer-to-peer
							network of volunteer machines instead of one company&apos;s data centre. Share files
							and time-limited links without ever handing over a key.
						</p>
						<p className="mt-8 flex flex-wrap gap-4">
							<Link
								href="/signup"
								className="rounded-md bg-white px-5 py-3 font-semibold text-brand-900 shadow hover:bg-brand-50"
							>
								Create your vault
							</Link>
							<a
								href="#how-it-works"
								className="rounded-md border border-brand-100 px-5 py-3 font-semibold text-white hover:bg-brand-700"
							>
								See how it works
							</a>
							<a
								href="#run-it"
								className="rounded-md border border-brand-100 px-5 py-3 font-semibold text-white hover:bg-brand-700"
							>
								Run your own
							</a>
						</p>
					</div>
					<CoffreMark className="mx-auto h-40 w-40 md:h-56 md:w-56" />
				</div>
			</section>

			<section
				id="how-it-works"
				aria-labelledby="how-title"
				className="mx-auto max-w-6xl px-6 py-16"
			>
				<h2 id="how-title" className="text-3xl font-bold text-brand-900">
					How it works
				</h2>
				<ol className="mt-8 grid gap-6 md:grid-cols-2">
					{steps.map((step, index) => (
						<li
							key={step.title}
							className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
						>
							<p className="text-sm font-semibold text-brand-700">Step {index + 1}</p>
							<h3 className="mt-1 text-xl font-semibold">{step.title}</h3>
							<p className="mt-2 text-slate-700">{step.text}</p>
						</li>
					))}
				</ol>
			</section>

			<section id="security" aria-labelledby="security-title" className="bg-white">
				<div className="mx-auto grid max-w-6xl gap-10 px-6 py-16 md:grid-cols-2">
					<div>
						<h2 id="security-title" className="text-3xl font-bold text-brand-900">
							What Coffre promises
						</h2>
						<ul className="mt-6 list-disc space-y-3 pl-5 text-slate-700">
							{promises.map((promise) => (
								<li key={promise}>{promise}</li>
							))}
						</ul>
					</div>
					<div>
						<h2 className="text-3xl font-bold text-brand-900">What it cannot promise</h2>
						<ul className="mt-6 list-disc space-y-3 pl-5 text-slate-700">
							{limits.map((limit) => (
								<li key={limit}>{limit}</li>
							))}
						</ul>
					</div>
				</div>
			</section>

			<section id="run-it" aria-labelledby="run-title" className="mx-auto max-w-6xl px-6 py-16">
				<h2 id="run-title" className="text-3xl font-bold text-brand-900">
					Run your own
				</h2>
				<p className="mt-4 max-w-3xl text-slate-700">
					Coffre runs whole on one machine with an embedded database and a local storage network,
					and the same code joins a real PostgreSQL and a network of volunteer nodes by
					configuration alone.
				</p>
				<pre className="mt-6 overflow-x-auto rounded-lg bg-ink p-4 text-sm text-slate-100">
					<code>
						{
							"npm ci && npm start   # then open http://localhost:3000\nnpm test              # lint, types, unit, integration, browser"
						}
					</code>
				</pre>
			</section>
		</>
	);
}
