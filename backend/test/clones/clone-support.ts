import { CloneIndex, prepareFile, type CloneClass, type CloneOptions } from '../../src/engine/index.js';

/** A function of about 120 tokens, with a name and a literal that tests vary. */
export function priceFunction(name = 'orderTotal', rate = '0.2', extra = ''): string {
  return `export function ${name}(items: LineItem[], customer: Customer): number {
  let subtotal = 0;
  for (const item of items) {
    if (item.quantity <= 0) {
      continue;
    }
    const discount = customer.loyal ? item.discount ?? 0 : 0;
    subtotal += item.price * item.quantity * (1 - discount);${extra}
  }
  const shipping = subtotal > 100 ? 0 : 4.95;
  const tax = (subtotal + shipping) * ${rate};
  return Math.round((subtotal + shipping + tax) * 100) / 100;
}
`;
}

/** An index holding the given files (path → text), matched. */
export function indexOf(files: Record<string, string>, options: Partial<CloneOptions> = {}): CloneIndex {
  const index = new CloneIndex(options);
  for (const [path, text] of Object.entries(files)) {
    const record = prepareFile(path, text, index.options);
    if (record) index.add(record);
  }
  return index;
}

/** Classes as comparable plain data: type, similarity (rounded) and fragments as path:lines. */
export function describe(classes: readonly CloneClass[]): { type: number; similarity: number; fragments: string[] }[] {
  return classes.map((cloneClass) => ({
    type: cloneClass.type,
    similarity: Math.round(cloneClass.similarity * 100) / 100,
    fragments: cloneClass.fragments.map((fragment) => `${fragment.path}:${fragment.startLine}-${fragment.endLine}`),
  }));
}
