import { describe, expect, it } from "vitest";
import { positionAt, positionForStep } from "./positions";

const items = [
  { id: "a", position: "a0" },
  { id: "b", position: "a1" },
  { id: "c", position: "a2" },
];

describe("positionAt", () => {
  it("places before, between and after siblings", () => {
    expect(positionAt([], 0)).toBe("a0");
    expect(positionAt(items, 0) < "a0").toBe(true);
    const middle = positionAt(items, 1);
    expect(middle > "a0" && middle < "a1").toBe(true);
    expect(positionAt(items, 3) > "a2").toBe(true);
  });

  it("finds room after two siblings that share a key", () => {
    const tied = [{ id: "x", position: "a1" }, { id: "y", position: "a1" }, { id: "z", position: "a3" }];
    const key = positionAt(tied, 1);
    expect(key > "a1" && key < "a3").toBe(true);
  });
});

describe("positionForStep", () => {
  it("moves an item one place each way", () => {
    const left = positionForStep(items, "b", -1) ?? "";
    expect(left < "a0").toBe(true);
    const right = positionForStep(items, "b", 1) ?? "";
    expect(right > "a2").toBe(true);
  });

  it("refuses to move past the edges", () => {
    expect(positionForStep(items, "a", -1)).toBeNull();
    expect(positionForStep(items, "c", 1)).toBeNull();
  });
});
