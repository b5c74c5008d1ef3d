// Sign in with a passkey: no handle, no password.
import type { Metadata } from "next";
import { SignInPanel } from "./sign-in-panel";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
	return <SignInPanel />;
}
