// The browser's localStorage for client/ code run in Node (which has no Web Storage without
// flags): a Map behind the Storage interface, one per test browser, installed as the global.
export class MemoryStorage implements Storage {
	readonly #items = new Map<string, string>();

	get length(): number {
		return this.#items.size;
	}
	clear(): void {
		this.#items.clear();
	}
	getItem(key: string): string | null {
		return this.#items.get(key) ?? null;
	}
	key(index: number): string | null {
		return [...this.#items.keys()][index] ?? null;
	}
	removeItem(key: string): void {
		this.#items.delete(key);
	}
	setItem(key: string, value: string): void {
		this.#items.set(key, String(value));
	}
}

/** Installs `storage` as `globalThis.localStorage`; returns a function that removes it. */
export function installLocalStorage(storage: Storage = new MemoryStorage()): () => void {
	const previous = Object.getOwnPropertyDescriptor(globalThis, "localStorage");
	Object.defineProperty(globalThis, "localStorage", { value: storage, configurable: true });
	return () => {
		if (previous) Object.defineProperty(globalThis, "localStorage", previous);
		else Reflect.deleteProperty(globalThis, "localStorage");
	};
}
