// What the docs page's parts are made of: JSX (hono/jsx), which escapes every string it renders, so no value from
// the contract reaches the page unescaped; and the contract's one inline markdown, `code` spans.
import type { JSX } from "hono/jsx/jsx-runtime";

/** Anything JSX renders as a child. */
export type Markup = JSX.Element | string | number | boolean | null | undefined | readonly Markup[];

/** Text with `code` spans, the only inline markdown the contract's descriptions use. */
export function inline(text: string): Markup[] {
  // Split on a capturing group: the odd positions are the code spans.
  return text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? <code>{part}</code> : part));
}

/** Children with a separator between them (a line break, " / "). */
export const joined = (parts: readonly Markup[], separator: Markup): Markup[] =>
  parts.flatMap((part, i) => (i ? [separator, part] : [part]));

/** English beside the Chinese, in the page's muted style. */
export const En = ({ children }: { children: Markup }) => <span class="en">{children}</span>;
