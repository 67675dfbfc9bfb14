import { setTimeout as delay } from 'node:timers/promises';

/**
 * Sweeps asked for by clients (REST, MCP, the UI's "Check now"): requests made while one is waiting
 * or running share it, and requested sweeps start at least `spacingMs` apart, so a flood of requests
 * cannot turn into a flood of fan-outs over the fleet. Every answer still comes from a sweep that
 * started after the previous requested one ended.
 */
export class SweepRequests<T> {
  #pending: Promise<T> | null = null;
  #lastEnded = -Infinity;

  constructor(
    private readonly sweep: () => Promise<T>,
    private readonly spacingMs = 500,
  ) {}

  request(): Promise<T> {
    if (this.#pending) return this.#pending;
    const wait = this.#lastEnded + this.spacingMs - performance.now();
    this.#pending = (wait > 0 ? delay(wait) : Promise.resolve()).then(this.sweep).finally(() => {
      this.#pending = null;
      this.#lastEnded = performance.now();
    });
    return this.#pending;
  }
}
