import type { Page } from "@playwright/test";
import type { PageElement, PageGlobals, PageNode, PageScope } from "./page-globals.ts";

/** Age-friendly minimums a kiosk screen must meet (README "Tests"). */
export interface SizeRules {
  /** Width and height of every touch target, in CSS pixels. */
  readonly minTargetPx: number;
  /** Font size of every visible text, in CSS pixels. */
  readonly minTextPx: number;
}

/** Touch targets of at least 60 × 60 px, text of at least 24 px. */
export const KIOSK_SIZE_RULES: SizeRules = { minTargetPx: 60, minTextPx: 24 };

/**
 * Every visible touch target smaller than `rules.minTargetPx` in either
 * direction and every visible text smaller than `rules.minTextPx`, across
 * shadow roots, as one readable line each (empty when the screen complies).
 */
export function sizeProblems(page: Page, rules: SizeRules = KIOSK_SIZE_RULES): Promise<string[]> {
  return page.evaluate(({ minTargetPx, minTextPx }) => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
    const TARGETS = "button, a[href], input, select, textarea, [role=button], [role=link], [role=checkbox], [role=tab], [tabindex]:not([tabindex='-1'])";
    const TEXT_NODE = 3;
    const problems: string[] = [];
    const describe = (element: PageElement) => `<${element.localName}> "${(element.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40)}"`;
    const visible = (element: PageElement) => element.getClientRects().length > 0 && getComputedStyle(element).visibility === "visible";
    // Text directly inside a shadow root takes its size from the host element.
    const checkText = (owner: PageElement, nodes: ArrayLike<PageNode>) => {
      const ownText = Array.from(nodes).some((node) => node.nodeType === TEXT_NODE && (node.textContent ?? "").trim() !== "");
      const fontPx = Number.parseFloat(getComputedStyle(owner).fontSize);
      if (ownText && fontPx < minTextPx) problems.push(`text of ${describe(owner)} is ${fontPx} px, under ${minTextPx}`);
    };
    const visit = (scope: PageScope) => {
      if (scope.host && visible(scope.host)) checkText(scope.host, scope.childNodes);
      for (const element of Array.from(scope.querySelectorAll("*"))) {
        if (element.shadowRoot) visit(element.shadowRoot);
        if (!visible(element)) continue;
        if (element.matches(TARGETS)) {
          const box = element.getBoundingClientRect();
          if (box.width < minTargetPx || box.height < minTargetPx) {
            problems.push(`touch target ${describe(element)} is ${Math.round(box.width)}×${Math.round(box.height)} px, under ${minTargetPx}×${minTargetPx}`);
          }
        }
        checkText(element, element.childNodes);
      }
    };
    visit(document);
    return problems;
  }, rules);
}
