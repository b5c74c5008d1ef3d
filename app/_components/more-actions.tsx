"use client";
// A row's less frequent actions behind one "More" button (the disclosure pattern: a button
// that shows and hides a list of buttons), so a listing row shows its main actions, not eight.
// Keyboard: Enter or Space opens it and moves focus to the first action, Escape closes it and
// returns focus to the button; choosing an action, clicking elsewhere or tabbing out closes it.
import { type ReactNode, useEffect, useId, useRef, useState } from "react";

export function MoreActions({ itemName, children }: { itemName: string; children: ReactNode }) {
	const [open, setOpen] = useState(false);
	const id = useId();
	const root = useRef<HTMLDivElement>(null);
	const toggle = useRef<HTMLButtonElement>(null);
	const panel = useRef<HTMLDivElement>(null);

	useEffect(() => {
		const list = panel.current;
		if (!open || !list) return;
		list.querySelector("button")?.focus();
		const onPointerDown = (event: PointerEvent) => {
			if (!root.current?.contains(event.target as Node)) setOpen(false);
		};
		// Choosing an action closes the list. Heard on the document, so after the action's own
		// handler ran (React handles clicks at its root, below the document).
		const onClick = (event: MouseEvent) => {
			const target = event.target as HTMLElement;
			if (list.contains(target) && target.closest("button")) setOpen(false);
		};
		document.addEventListener("pointerdown", onPointerDown);
		document.addEventListener("click", onClick);
		return () => {
			document.removeEventListener("pointerdown", onPointerDown);
			document.removeEventListener("click", onClick);
		};
	}, [open]);

	return (
		// biome-ignore lint/a11y/noStaticElementInteractions: Escape and focus leaving close the list; the buttons inside are the controls
		<div
			ref={root}
			className="relative"
			onKeyDown={(event) => {
				if (event.key !== "Escape" || !open) return;
				event.stopPropagation();
				setOpen(false);
				toggle.current?.focus();
			}}
			onBlur={(event) => {
				if (open && !root.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
			}}
		>
			<button
				ref={toggle}
				type="button"
				aria-expanded={open}
				aria-controls={id}
				onClick={() => setOpen(!open)}
				className="inline-flex items-center justify-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-semibold text-slate-900 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
			>
				More<span className="sr-only"> actions for {itemName}</span>
				<span aria-hidden="true">▾</span>
			</button>
			{open ? (
				<div
					id={id}
					ref={panel}
					className="absolute right-0 z-10 mt-1 flex min-w-44 flex-col gap-1 rounded-md border border-slate-200 bg-white p-1 shadow-lg [&_button]:w-full [&_button]:justify-start [&_button]:border-0 [&_button]:shadow-none"
				>
					{children}
				</div>
			) : null}
		</div>
	);
}
