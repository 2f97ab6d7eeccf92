/**
 * What the JavaScript lexer is inside of, besides plain code. Template holes and JSX nest inside
 * each other to any depth (`${ <A>{`${x}`}</A> }`), so they are tracked on an explicit stack
 * rather than by recursion: 100,000 levels cost 100,000 array slots, not a stack overflow.
 */
export const JsContext = {
  /** Inside a template literal's `${ ... }` hole; the matching `}` resumes the template. */
  TemplateHole: 1,
  /** Inside a JSX `{ ... }` expression; the matching `}` returns to the tag or children. */
  JsxExpression: 2,
  /** Inside a JSX opening tag, between `<` and `>` or `/>`. */
  JsxTag: 3,
  /** Inside a JSX closing tag, between `</` and `>`. */
  JsxClosingTag: 4,
  /** Between an element's opening and closing tags: text, child elements and expressions. */
  JsxChildren: 5,
} as const;
export type JsContext = (typeof JsContext)[keyof typeof JsContext];

/** A growable stack of contexts, each with the code brace depth at which it was entered. */
export class ContextStack {
  private readonly kinds: number[] = [];
  private readonly depths: number[] = [];
  private size = 0;

  /** The innermost context, or 0 in plain code. */
  top(): number {
    return this.size === 0 ? 0 : this.kinds[this.size - 1]!;
  }

  /** The brace depth the innermost context was entered at, or -1 in plain code. */
  topDepth(): number {
    return this.size === 0 ? -1 : this.depths[this.size - 1]!;
  }

  push(kind: JsContext, braceDepth: number): void {
    this.kinds[this.size] = kind;
    this.depths[this.size] = braceDepth;
    this.size++;
  }

  /** Removes the innermost context and returns it (0 when there is none). */
  pop(): number {
    if (this.size === 0) return 0;
    return this.kinds[--this.size]!;
  }

  /** Turns the innermost context into `kind` (an opening tag's `>` makes it the element's children). */
  replaceTop(kind: JsContext): void {
    if (this.size > 0) this.kinds[this.size - 1] = kind;
  }
}
