// Create an account: a handle, a passkey, and the recovery kit.
import type { Metadata } from "next";
import { SignUpWizard } from "./sign-up-wizard";

export const metadata: Metadata = { title: "Create your vault" };

export default function SignUpPage() {
	return <SignUpWizard />;
}
