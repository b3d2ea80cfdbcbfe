/**
 * UI text comes from the server's gettext catalogues (boards/ui_strings.py), so French and
 * English are translated once, in django.po, like the rest of the site.
 */
export type Translate = (key: string, params?: Readonly<Record<string, string | number>>) => string;

export function createTranslator(strings: Readonly<Record<string, string>>): Translate {
  return (key, params) => {
    // A missing key shows itself rather than an empty label, so it is noticed and fixed.
    const text = strings[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}
