// The risk score, after Prowler's ThreatScore: pass rates weighted by each check's weight and risk.
//   score = 100 × Σ credit(f) × w(f) / Σ w(f), over findings that PASS or FAIL,
//   w(f) = weight(check) × (1 + 0.25 × risk(severity)), risk: critical 5, high 4, medium 3, low 2.
// Root checks weigh 1000, administrator checks 300, other user checks 100, so a root finding counts about ten
// times a single user's. credit is 0 for a FAIL, 1 for a PASS, and for an MFA check that passes with TOTP only,
// 0.75 (a FIDO key is phishing-resistant, TOTP is not). NOT_APPLICABLE and ERROR findings are left out.
import { CHECKS, CHECK_IDS } from './checks.js';
import type { CheckId } from './checks.js';
import type { Finding, Severity } from './types.js';

export const RISK: Readonly<Record<Severity, number>> = { critical: 5, high: 4, medium: 3, low: 2 };

export interface CheckScore {
  readonly check: string;
  readonly severity: Severity;
  readonly weight: number;
  readonly pass: number;
  readonly fail: number;
  readonly notApplicable: number;
  readonly error: number;
  /** Σ credit × w and Σ w for this check's findings. */
  readonly earned: number;
  readonly possible: number;
  /** 0–100, null when nothing was evaluated. */
  readonly score: number | null;
}

export interface Score {
  readonly value: number | null;
  readonly checks: readonly CheckScore[];
}

export function findingWeight(check: CheckId): number {
  const def = CHECKS[check];
  return def.weight * (1 + 0.25 * RISK[def.severity]);
}

const isCheckId = (id: string): id is CheckId => Object.hasOwn(CHECKS, id);
const round1 = (n: number): number => Math.round(n * 10) / 10;

export function score(findings: readonly Finding[]): Score {
  const checks: CheckScore[] = [];
  let earned = 0;
  let possible = 0;
  for (const id of CHECK_IDS) {
    const mine = findings.filter((f) => f.check === id);
    const count = (s: Finding['status']): number => mine.filter((f) => f.status === s).length;
    let e = 0;
    let p = 0;
    for (const f of mine) {
      if (f.status !== 'PASS' && f.status !== 'FAIL') continue;
      const w = findingWeight(id);
      e += f.credit * w;
      p += w;
    }
    earned += e;
    possible += p;
    checks.push({
      check: id, severity: CHECKS[id].severity, weight: CHECKS[id].weight,
      pass: count('PASS'), fail: count('FAIL'), notApplicable: count('NOT_APPLICABLE'), error: count('ERROR'),
      earned: round1(e), possible: round1(p), score: p > 0 ? round1((100 * e) / p) : null,
    });
  }
  for (const f of findings) if (!isCheckId(f.check)) throw new Error(`unknown check ${f.check}`);
  return { value: possible > 0 ? round1((100 * earned) / possible) : null, checks };
}
