/**
 * The board's KPIs (journeydata/selectors.py KpiSummaryData): loaded over REST, reloaded when
 * a metric op (or the removal of what a KPI measures) comes through the live store, so every
 * participant sees a pushed or imported sample at once. Plain TypeScript, testable without a
 * browser: the fetcher and the timer are injected.
 */
import type { OpMessage } from "./protocol";

export type KpiTone = "good" | "warning" | "bad" | "neutral";
export type KpiTrend = "up" | "down" | "flat" | "none";

export interface KpiPoint {
  date: string;
  value: number;
}

export interface KpiSummary {
  stage_id: string | null;
  card_id: string | null;
  kind: string;
  name: string;
  unit: string;
  scale: number | null;
  date: string;
  value: number;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  satisfied_pct: number | null;
  trend: KpiTrend;
  tone: KpiTone;
  samples: number;
  history: KpiPoint[];
}

export interface KpisResponse {
  seq: number;
  kpis: KpiSummary[];
}

/** Ops after which the KPIs may read differently. */
const RELOAD_AFTER = /^(metric\.|stage\.(delete|restore)$|card\.(delete|restore)$)/;
/** A burst of ops (an import, a batch push) costs one reload, this long after its last op. */
export const RELOAD_DELAY_MS = 300;

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;
type OpSource = { onServerOp(listener: (message: OpMessage | null) => void): () => void };

export class KpiFeed {
  private kpis: readonly KpiSummary[] = [];
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private loading = false;
  private again = false;
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly boardId: string,
    private readonly fetcher: Fetch = (url, init) => fetch(url, init),
    private readonly delayMs = RELOAD_DELAY_MS,
  ) {}

  start(source: OpSource): void {
    // null: a snapshot replaced the board (a reconnect after a long gap): reload too.
    this.stopListening = source.onServerOp((message) => {
      if (message === null || RELOAD_AFTER.test(message.op)) this.scheduleReload();
    });
    void this.reload();
  }

  stop(): void {
    this.stopListening?.();
    if (this.timer !== null) clearTimeout(this.timer);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): readonly KpiSummary[] => this.kpis;

  private scheduleReload(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.reload();
    }, this.delayMs);
  }

  async reload(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = true;
    try {
      const response = await this.fetcher(`/api/boards/${this.boardId}/kpis/`, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) {
        this.kpis = ((await response.json()) as KpisResponse).kpis;
        for (const listener of this.listeners) listener();
      }
    } catch {
      // Offline: the next metric op or reconnect snapshot tries again.
    } finally {
      this.loading = false;
    }
    if (this.again) {
      this.again = false;
      await this.reload();
    }
  }
}

/** The KPIs measured at a stage, and those of its touchpoint cards. */
export function kpisOfStage(kpis: readonly KpiSummary[], stageId: string, cardStage: ReadonlyMap<string, string>): KpiSummary[] {
  return kpis.filter((kpi) => kpi.stage_id === stageId || (kpi.card_id !== null && cardStage.get(kpi.card_id) === stageId));
}

/** An SVG polyline's points for the history, scaled into width x height (top = highest). */
export function sparkline(history: readonly KpiPoint[], width: number, height: number): string {
  if (history.length === 0) return "";
  const values = history.map((point) => point.value);
  const low = Math.min(...values);
  const span = Math.max(...values) - low || 1;
  const step = history.length > 1 ? width / (history.length - 1) : 0;
  return values
    .map((value, index) => {
      const x = history.length > 1 ? index * step : width / 2;
      const y = height - ((value - low) / span) * height;
      return `${round(x)},${round(y)}`;
    })
    .join(" ");
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const PERCENT_KINDS = new Set(["conversion_rate", "drop_off", "satisfaction_rate"]);

/** The headline number with its unit: "40", "8.4/10", "3.5 %", "95 s". */
export function formatValue(kpi: KpiSummary, locale: string): string {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(kpi.value);
  if (kpi.kind === "csat") return `${number}/${kpi.scale ?? 5}`;
  if (PERCENT_KINDS.has(kpi.kind)) return `${number} %`;
  if (kpi.kind === "handling_time") return `${number} s`;
  return kpi.unit ? `${number} ${kpi.unit}` : number;
}
