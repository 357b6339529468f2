/**
 * The few browser APIs that code passed to `page.evaluate` by these helpers
 * uses. The helpers are imported by browser tests anywhere in the repository,
 * and the root TypeScript program is compiled without the DOM library (it
 * clashes with Bun's types), so in-page code reaches the page's globals as
 * `globalThis as unknown as PageGlobals`. Types only.
 */
import type axe from "axe-core";

/** A DOM node, as far as the helpers read it. */
export interface PageNode {
  readonly nodeType: number;
  readonly textContent: string | null;
}

/** A DOM element, as far as the helpers read it. */
export interface PageElement extends PageNode {
  readonly localName: string;
  readonly shadowRoot: PageScope | null;
  readonly childNodes: ArrayLike<PageNode>;
  matches(selectors: string): boolean;
  getClientRects(): { readonly length: number };
  getBoundingClientRect(): { readonly width: number; readonly height: number };
}

/** A document or a shadow root (which has a `host`). */
export interface PageScope {
  readonly childNodes: ArrayLike<PageNode>;
  readonly host?: PageElement;
  querySelectorAll(selectors: string): ArrayLike<PageElement>;
}

/** The computed style properties the helpers read. */
export interface PageStyle {
  readonly fontSize: string;
  readonly visibility: string;
}

/** The page's global object. */
export interface PageGlobals {
  readonly document: PageScope & { readonly fonts: { readonly ready: Promise<unknown> } };
  getComputedStyle(element: PageElement): PageStyle;
  /** Present once {@linkcode a11yViolations} has evaluated axe-core into the page. */
  axe?: typeof axe;
}
