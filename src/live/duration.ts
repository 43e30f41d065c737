/**
 * leakgraph/live/duration — durations as people write them: `500ms`, `5s`, `1.5s`, `2m`, `1h`.
 */

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * Parses a duration with a unit (`500ms`, `5s`, `2m`, `1h`) into milliseconds, or returns
 * `null` for anything else (a bare number is refused: seconds or milliseconds?).
 */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)$/i.exec(text.trim());
  if (!match) return null;
  const value = Number(match[1]) * UNITS[match[2].toLowerCase()];
  return Number.isFinite(value) ? Math.round(value) : null;
}

/** A list of durations, `5s,10s,15s`, in milliseconds in the order given; `null` if one is bad. */
export function parseDurationList(text: string): number[] | null {
  const parts = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length === 0) return null;
  const values = parts.map(parseDuration);
  return values.every((value): value is number => value !== null) ? values : null;
}

/** "250 ms", "5.0 s", "2 min 5 s": a duration for people. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  if (milliseconds < 120_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  const seconds = Math.round(milliseconds / 1000);
  const minutes = Math.floor(seconds / 60);
  return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
}
