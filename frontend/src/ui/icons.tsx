/** Small inline icons (no icon font: the page must render the same everywhere, offline). */
import type { ReactElement } from "react";

const CHANNEL_PATHS: Record<string, ReactElement> = {
  web: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3c3 3.5 3 14.5 0 18M12 3c-3 3.5-3 14.5 0 18" />
    </>
  ),
  email: (
    <>
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <path d="M3 7l9 6 9-6" />
    </>
  ),
  phone: <path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z" />,
  store: (
    <>
      <path d="M4 9l1.5-5h13L20 9M4 9h16v11H4zM9 20v-6h6v6" />
    </>
  ),
  app: (
    <>
      <rect x="7" y="2" width="10" height="20" rx="2" />
      <path d="M11 18h2" />
    </>
  ),
  social: <path d="M4 5h16v11H9l-5 4z" />,
  review_site: <path d="M6 3h9l3 3v15H6zM9 10h6M9 14h6M9 18h3" />,
  other: (
    <>
      <circle cx="6" cy="12" r="1.5" />
      <circle cx="12" cy="12" r="1.5" />
      <circle cx="18" cy="12" r="1.5" />
    </>
  ),
};

export function ChannelIcon({ channel, title }: { channel: string; title: string }) {
  const path = CHANNEL_PATHS[channel] ?? CHANNEL_PATHS.other;
  return (
    <svg className="icon" viewBox="0 0 24 24" role="img" aria-label={title}>
      <title>{title}</title>
      <g fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        {path}
      </g>
    </svg>
  );
}

/** A face whose mouth follows the score: −2 frown … +2 wide smile. */
export function EmotionFace({ score, title }: { score: number; title: string }) {
  const curve = score * 3;
  return (
    <svg className={`icon face face-${score < 0 ? "neg" : score > 0 ? "pos" : "neutral"}`} viewBox="0 0 24 24" role="img" aria-label={title}>
      <title>{title}</title>
      <g fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
        <circle cx="12" cy="12" r="9.5" />
        <path d={`M8 ${15 - curve / 3} Q12 ${15 + curve} 16 ${15 - curve / 3}`} />
      </g>
      <circle cx="9" cy="9.5" r="1.2" fill="currentColor" />
      <circle cx="15" cy="9.5" r="1.2" fill="currentColor" />
    </svg>
  );
}

export function StarIcon({ filled, title }: { filled: boolean; title: string }) {
  return (
    <svg className="icon star" viewBox="0 0 24 24" role="img" aria-label={title}>
      <title>{title}</title>
      <path
        d="M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z"
        fill={filled ? "currentColor" : "none"}
        stroke="currentColor"
        strokeWidth="2"
        strokeLinejoin="round"
      />
    </svg>
  );
}
