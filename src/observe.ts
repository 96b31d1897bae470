// What the domain reports for operations (metrics today; any other observer may subscribe): a tiny synchronous
// publish/subscribe with no dependencies, so src/mfa, src/sts, src/signin and the console report what happened
// without knowing who counts it. An observer never sees a secret: the observations carry outcomes and names only.
// Observers must not throw (one that does is dropped from this observation, never from the request).

/** One thing that happened, with bounded labels only. */
export type Observation =
  /** A second-factor code was checked (sign-in, STS, enable, resync). 'locked': refused unchecked. */
  | { readonly kind: 'mfa-check'; readonly outcome: 'ok' | 'invalid' | 'replay' | 'locked' }
  /** A principal's codes became locked (a failure that started or extended a lock). */
  | { readonly kind: 'mfa-lock' }
  /** An administrator lifted a principal's MFA lock. */
  | { readonly kind: 'mfa-unlock' }
  /** A console sign-in finished: success or failure, and whether a second factor was used. */
  | { readonly kind: 'sign-in'; readonly outcome: 'success' | 'failure'; readonly mfa: boolean }
  /** Temporary credentials were issued. */
  | { readonly kind: 'session-issued'; readonly source: 'GetSessionToken' | 'AssumeRole' | 'ConsoleSignIn' };

export type Observer = (o: Observation) => void;

const observers = new Set<Observer>();

/** Adds an observer; returns the function that removes it. */
export function subscribe(observer: Observer): () => void {
  observers.add(observer);
  return () => { observers.delete(observer); };
}

/** Reports an observation to every observer. */
export function observe(o: Observation): void {
  for (const fn of observers) {
    try { fn(o); } catch { /* an observer's failure never reaches the request */ }
  }
}
