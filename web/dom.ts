// The page's elements by id (they are all in index.html).
export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
};

/** Whether a key press belongs to a text field (typing there is never a shortcut). */
export function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement && target.type !== 'checkbox' || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}
