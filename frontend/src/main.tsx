import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { readPageConfig } from "./config";
import { createTranslator } from "./i18n";
import { BoardSession } from "./session";
import { App } from "./ui/App";
import { BoardContext } from "./ui/context";
import "./board.css";

const root = document.getElementById("board-root");
if (root) {
  const config = readPageConfig(document);
  const session = new BoardSession(config.boardId);
  session.start();
  createRoot(root).render(
    <StrictMode>
      <BoardContext.Provider value={{ session, config, t: createTranslator(config.strings) }}>
        <App />
      </BoardContext.Provider>
    </StrictMode>,
  );
}
