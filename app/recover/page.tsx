// Regain access with the recovery kit and a new passkey.
import type { Metadata } from "next";
import { RecoverForm } from "./recover-form";

export const metadata: Metadata = { title: "Recover your account" };

export default function RecoverPage() {
	return <RecoverForm />;
}
