// Renders the printable recovery kit as a PDF in the browser (jsPDF), so the recovery words
// never leave the tab. Loaded on demand: most visits never need it.

export async function recoveryKitPdf({
	handle,
	words,
	createdAt,
}: {
	handle: string;
	words: string[];
	createdAt: Date;
}): Promise<Blob> {
	const { jsPDF } = await import("jspdf");
	const doc = new jsPDF({ unit: "mm", format: "a4" });
	doc.setFont("helvetica", "bold");
	doc.setFontSize(22);
	doc.text("Coffre recovery kit", 20, 28);
	doc.setFont("helvetica", "normal");
	doc.setFontSize(11);
	doc.text(`Account: ${handle}`, 20, 40);
	doc.text(`Created: ${createdAt.toISOString().slice(0, 10)}`, 20, 46);
	doc.text(
		doc.splitTextToSize(
			"These 24 words are the only way back into your vault if you lose all your passkeys. Keep this sheet somewhere safe and private. Anyone who has it and your handle can open your vault.",
			170,
		),
		20,
		58,
	);
	doc.setFont("courier", "normal");
	doc.setFontSize(13);
	words.forEach((word, index) => {
		const column = index < 12 ? 0 : 1;
		const row = index % 12;
		doc.text(`${String(index + 1).padStart(2, " ")}. ${word}`, 30 + column * 80, 82 + row * 9);
	});
	doc.setFont("helvetica", "normal");
	doc.setFontSize(10);
	doc.text(
		"To recover: open Coffre, choose “Recover account”, enter your handle and these words.",
		20,
		200,
	);
	return doc.output("blob");
}
