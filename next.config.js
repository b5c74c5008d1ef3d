// Next.js configuration. Security headers that do not depend on the request are set here for
// every response; the Content-Security-Policy (a fresh nonce per request) is set in proxy.ts,
// except on shard transfers, which get a fixed one here.
// Type-checking runs in `npm test` (tsc), so the build does not repeat it.

/** @type {import('next').NextConfig} */
const nextConfig = {
	reactStrictMode: true,
	poweredByHeader: false,
	typescript: { ignoreBuildErrors: true },
	serverExternalPackages: [
		"pg",
		"@prisma/adapter-pg",
		"@electric-sql/pglite",
		"@electric-sql/pglite-socket",
	],
	async headers() {
		return [
			{
				source: "/:path*",
				headers: [
					{ key: "Referrer-Policy", value: "no-referrer" },
					{ key: "X-Content-Type-Options", value: "nosniff" },
					{ key: "X-Frame-Options", value: "DENY" },
					{ key: "Cross-Origin-Opener-Policy", value: "same-origin" },
					{ key: "Cross-Origin-Resource-Policy", value: "same-origin" },
					{
						key: "Permissions-Policy",
						value:
							"camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=(), publickey-credentials-create=(self), publickey-credentials-get=(self)",
					},
				],
			},
			{
				// Shard transfers skip proxy.ts (see its matcher); they carry bytes, never a page.
				source: "/api/chunks/:path*",
				headers: [
					{
						key: "Content-Security-Policy",
						value: "default-src 'none'; frame-ancestors 'none'; sandbox",
					},
				],
			},
		];
	},
};

export default nextConfig;
