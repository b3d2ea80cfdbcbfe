import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTranslator } from "./i18n";

describe("createTranslator", () => {
  const t = createTranslator({ editing: "{name} modifie cette carte", save: "Enregistrer" });

  it("returns the translated text and fills its placeholders", () => {
    expect(t("save")).toBe("Enregistrer");
    expect(t("editing", { name: "Chloé" })).toBe("Chloé modifie cette carte");
  });

  it("shows the key of a missing string", () => {
    expect(t("nope")).toBe("nope");
  });
});

describe("the UI strings", () => {
  it("are all declared in boards/ui_strings.py, where gettext translates them", () => {
    const python = readFileSync(new URL("../../boards/ui_strings.py", import.meta.url), "utf8");
    const declared = new Set([...python.matchAll(/^\s+"([\w.]+)": _\(/gm)].map((m) => m[1]));
    const uiDir = new URL("./ui/", import.meta.url).pathname;
    const sources = readdirSync(uiDir).map((name) => readFileSync(join(uiDir, name), "utf8"));
    const used = new Set(sources.flatMap((source) => [...source.matchAll(/\bt\("([\w.]+)"/g)].map((m) => m[1])));
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((key) => !declared.has(key))).toEqual([]);
  });
});
