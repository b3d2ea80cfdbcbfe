/** What the Django page hands the front end (boards/board_page.py, via json_script). */
export type Choices = ReadonlyArray<readonly [string, string]>;

export interface PageConfig {
  boardId: string;
  language: string;
  you: { id: string; name: string; role: string };
  /** May add, change and move content (editor and above). */
  canEdit: boolean;
  /** May change the board's own title and goal (facilitator and above). */
  canEditBoard: boolean;
  /** The share page, for those who may manage sharing (owner, facilitators). */
  shareUrl?: string;
  strings: Readonly<Record<string, string>>;
  choices: {
    laneKinds: Choices;
    colors: Choices;
    channels: Choices;
    touchpointStates: Choices;
  };
}

export function readPageConfig(doc: Document): PageConfig {
  const element = doc.getElementById("board-config");
  if (!element?.textContent) throw new Error("board-config is missing from the page");
  return JSON.parse(element.textContent) as PageConfig;
}
