/** A storage area (storage.local or storage.session) in memory, as one context sees it: values cloned in and out. */
export function memoryArea() {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (k: string): Promise<Record<string, unknown>> => (data.has(k) ? { [k]: structuredClone(data.get(k)) } : {}),
    set: async (items: Record<string, unknown>) => { for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v)); },
    remove: async (k: string) => void data.delete(k),
  };
}
