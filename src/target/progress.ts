/**
 * Shows a run's progress: on a terminal, a live bar during each epoch
 * (epoch, step, the epoch's running mean loss and the last batch's terms,
 * examples/s, the epoch's and the whole run's ETA), cleared at the end of
 * the epoch; without one, the same as a line every `interval` (10 s), so a
 * long epoch in a log is not silent; everywhere, one line per epoch. It only
 * formats and writes what the trainer's callbacks report; the command line
 * owns the streams.
 */
import { SingleBar } from "cli-progress";
import type { AdversarialStats, EpochMetrics, GaussianStats, StartInfo, StepInfo, TermMeans, TrainCallbacks } from "./train-events.js";

export interface ProgressOptions {
  /** Where epoch lines go. */
  readonly line: (text: string) => void;
  /** A terminal stream for the live bar, or null for plain lines only. */
  readonly barStream: NodeJS.WritableStream | null;
  /** Without a bar: the least milliseconds between two progress lines within an epoch (default 10 s). */
  readonly interval?: number;
  /** The clock, in milliseconds (tests give their own). */
  readonly now?: () => number;
}

/** Without a terminal, a progress line at most this often. */
export const PROGRESS_INTERVAL_MS = 10_000;

export class TrainProgress {
  private bar: SingleBar | null = null;
  private epochs = 0;
  /** The epoch so far: when its first step ended, the sum of its batches' totals, when the last line was printed. */
  private epochStart = 0;
  private sum = 0;
  private lastLine = 0;

  constructor(private readonly opts: ProgressOptions) {}

  /** The callbacks to hand to train(); combine with others as needed. */
  callbacks(): Required<Pick<TrainCallbacks, "onStart" | "onStep" | "onEpoch">> {
    return { onStart: (i) => this.start(i), onStep: (s) => this.step(s), onEpoch: (m) => this.epoch(m) };
  }

  start(i: StartInfo): void {
    this.epochs = i.epochs;
    const held = i.validationExamples > 0 ? ` (${i.validationExamples} held out for validation)` : "";
    const from = i.resumed ? `, resuming after epoch ${i.startEpoch}` : "";
    this.opts.line(
      `training ${i.model}: ${i.trainExamples} examples${held}, ${i.stepsPerEpoch} steps an epoch, ${i.epochs} epoch${i.epochs === 1 ? "" : "s"}${from}`,
    );
  }

  step(s: StepInfo): void {
    const now = (this.opts.now ?? performance.now.bind(performance))();
    if (s.step === 1) {
      this.epochStart = now;
      this.sum = 0;
      this.lastLine = now;
    }
    this.sum += s.total;
    const mean = this.sum / s.step;
    const eta = this.eta(s, now);
    if (this.opts.barStream === null) {
      if (s.step < s.steps && now - this.lastLine >= (this.opts.interval ?? PROGRESS_INTERVAL_MS)) {
        this.lastLine = now;
        this.opts.line(
          `epoch ${s.epoch}/${this.epochs}  step ${s.step}/${s.steps}  mean loss ${num(mean)} (last batch ${termsText(s.total, s.terms)})  ${Math.round(s.examplesPerSecond)} ex/s  ${eta}`,
        );
      }
      return;
    }
    const payload = {
      epoch: `${s.epoch}/${this.epochs}`,
      terms: `mean loss ${num(mean)} (last ${termsText(s.total, s.terms)})`,
      rate: Math.round(s.examplesPerSecond),
      timeLeft: eta,
    };
    if (this.bar === null) {
      this.bar = new SingleBar({
        stream: this.opts.barStream,
        format: "epoch {epoch} [{bar}] {value}/{total} | {terms} | {rate} ex/s | {timeLeft}",
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        linewrap: false,
        etaBuffer: 20,
      });
      this.bar.start(s.steps, s.step, payload);
    } else {
      this.bar.update(s.step, payload);
    }
    if (s.step === s.steps) this.stop();
  }

  epoch(m: EpochMetrics): void {
    this.stop();
    this.opts.line(epochLine(m, this.epochs));
  }

  /**
   * The epoch's and the run's time to go, from this epoch's pace after its first step (which
   * includes warming up): "ETA epoch 21 s, run 9m 40s"; "ETA -" before a pace is known.
   */
  private eta(s: StepInfo, now: number): string {
    if (s.step < 2 || now <= this.epochStart) return "ETA -";
    const perStep = (now - this.epochStart) / (s.step - 1);
    const epochLeft = perStep * (s.steps - s.step);
    const epochsAfter = Math.max(0, this.epochs - s.epoch);
    return `ETA epoch ${duration(epochLeft)}, run ${duration(epochLeft + epochsAfter * perStep * s.steps)}`;
  }

  /** Clears a bar left open (an aborted or failed epoch). */
  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** One line summing up an epoch. */
export function epochLine(m: EpochMetrics, epochs: number): string {
  const parts = [`epoch ${m.epoch}/${epochs}`, `train ${meansText(m.train)}`];
  if (m.validation !== null) parts.push(`validation ${meansText(m.validation)}`);
  if (m.gaussian !== undefined)
    parts.push(
      `active units ${m.gaussian.activeUnits}/${m.gaussian.units}${perLevel(m, (l) => `${l.activeUnits}/${l.units}`)}, KL ${num(m.gaussian.kl)}${perLevel(m, (l) => num(l.kl))}`,
    );
  if (m.codebook !== undefined) parts.push(`perplexity ${num(m.codebook.perplexity)} (${m.codebook.codesUsed}/${m.codebook.codes} codes used)`);
  if (m.adversarial !== undefined) parts.push(adversarialText(m.adversarial));
  parts.push(`${m.seconds.toFixed(1)} s`, `${Math.round(m.examplesPerSecond)} ex/s`);
  return parts.join("  ");
}

/** A ladder's levels, bottom first, after the total: " (levels a, b, c)"; empty for other bottlenecks. */
function perLevel(m: EpochMetrics, show: (l: GaussianStats) => string): string {
  return m.levels === undefined ? "" : ` (levels ${m.levels.map(show).join(", ")})`;
}

function adversarialText(a: AdversarialStats): string {
  const generator = a.generatorLoss === null ? "" : `, generator ${num(a.generatorLoss)}`;
  return `discriminator accuracy ${a.discriminatorAccuracy.toFixed(3)}, loss ${num(a.discriminatorLoss)}${generator}, code spread ${num(a.codeSpread)}`;
}

/** The terms and their total; during a KL warm-up also the objective minimised (the KL weighted less), named as such. */
function meansText(t: TermMeans): string {
  const names = Object.keys(t.terms);
  const warming = t.objective !== undefined && Math.abs(t.objective - t.total) > 1e-9 * Math.max(1, Math.abs(t.total));
  const objective = warming ? `; objective ${num(t.objective!)} during the kl warm-up` : "";
  if (names.length === 1 && objective === "") return num(t.total);
  return `${num(t.total)} (${names.map((n) => `${n} ${num(t.terms[n]!)}`).join(", ")}${objective})`;
}

function termsText(total: number, terms: Readonly<Record<string, number>>): string {
  const names = Object.keys(terms);
  const rest = names.length > 1 ? " " + names.map((n) => `${n} ${num(terms[n]!)}`).join(" ") : "";
  return `loss ${num(total)}${rest}`;
}

/** Milliseconds for people: "42 s", "9m 40s", "2h 05m". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** Four significant digits, without exponents for ordinary magnitudes. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(1);
  if (a !== 0 && a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}
