import { useBoard } from "./context";

/** Opens the share page (invitations, links, members); only owners and facilitators get it. */
export function ShareButton() {
  const { config, t } = useBoard();
  if (!config.shareUrl) return null;
  return (
    <a className="share-button" href={config.shareUrl}>
      {t("share.open")}
    </a>
  );
}
