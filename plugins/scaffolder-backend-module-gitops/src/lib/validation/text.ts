/** Whether text holds control characters (line breaks, tabs, NUL, DEL). */
export function hasControlCharacters(text: string): boolean {
  return [...text].some(c => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);
}

/** The text on one line: control characters and runs of spaces become one space. */
export function oneLine(text: string): string {
  return [...text]
    .map(c => (hasControlCharacters(c) ? ' ' : c))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
