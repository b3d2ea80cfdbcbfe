import { useEffect, useRef, useState } from "react";
import { timerLeftMs } from "../workshop";
import type { WorkshopSnapshot } from "../workshop";
import { useBoard, useSubmit } from "./context";
import { useNow } from "./useWorkshop";

const DEFAULT_MINUTES = 5;

export function formatClock(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
}

/** A short chime through Web Audio: no file to load, nothing to download. */
function ring(): void {
  const AudioContextClass = typeof window !== "undefined" ? window.AudioContext : undefined;
  if (!AudioContextClass) return;
  const audio = new AudioContextClass();
  for (const [offset, frequency] of [
    [0, 880],
    [0.35, 660],
    [0.7, 880],
  ] as const) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.25, audio.currentTime + offset);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + offset + 0.3);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(audio.currentTime + offset);
    oscillator.stop(audio.currentTime + offset + 0.3);
  }
  setTimeout(() => void audio.close(), 1500);
}

/** Everyone's countdown, on the server's clock; the facilitator's controls beside it. */
export function WorkshopTimer({ snapshot }: { snapshot: WorkshopSnapshot }) {
  const { config, t } = useBoard();
  const submit = useSubmit();
  const [minutes, setMinutes] = useState<number | null>(null);
  const workshop = snapshot.workshop;
  const timer = workshop?.timer;
  const running = timer?.state === "running";
  const now = useNow(running);
  const left = timer ? timerLeftMs(timer, now, snapshot.clockOffsetMs) : 0;
  const ended = running && left === 0;
  // Ring when this page sees the time run out, not when it loads a timer that ended long ago.
  const lastLeft = useRef(left);
  useEffect(() => {
    if (running && left === 0 && lastLeft.current > 0) ring();
    lastLeft.current = left;
  }, [running, left]);
  if (!workshop || !timer) return null;

  const stepMinutes = workshop.agenda[workshop.step]?.minutes ?? DEFAULT_MINUTES;
  const chosen = minutes ?? stepMinutes;
  return (
    <div className={`workshop-timer timer-${timer.state} ${ended ? "is-ended" : ""}`}>
      <span className="timer-clock" role="timer" aria-label={t("workshop.timer")} data-timer-state={ended ? "ended" : timer.state}>
        {formatClock(left)}
      </span>
      {ended && (
        <span className="timer-ended" role="alert">
          {t("workshop.timer_ended")}
        </span>
      )}
      {config.canEditBoard && (
        <span className="timer-controls">
          {timer.state === "idle" || ended ? (
            <>
              <input
                type="number"
                min={0.25}
                max={600}
                step="any"
                className="timer-minutes"
                aria-label={t("workshop.timer_minutes")}
                value={chosen}
                onChange={(event) => setMinutes(Number(event.target.value) || null)}
              />
              <button type="button" className="button" onClick={() => submit("timer.start", { seconds: Math.round(chosen * 60) })}>
                {t("workshop.timer_start")}
              </button>
            </>
          ) : timer.state === "running" ? (
            <button type="button" className="button" onClick={() => submit("timer.pause", {})}>
              {t("workshop.timer_pause")}
            </button>
          ) : (
            <button type="button" className="button" onClick={() => submit("timer.resume", {})}>
              {t("workshop.timer_resume")}
            </button>
          )}
          {timer.state !== "idle" && (
            <>
              <button type="button" className="button" onClick={() => submit("timer.extend", { seconds: 60 })}>
                {t("workshop.timer_extend")}
              </button>
              <button type="button" className="button" onClick={() => submit("timer.stop", {})}>
                {t("workshop.timer_stop")}
              </button>
            </>
          )}
        </span>
      )}
    </div>
  );
}
