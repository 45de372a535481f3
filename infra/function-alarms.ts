// Which alarms watch the HTTP functions' errors and throttles (infra/operations.ts), kept free of
// CDK so the cost model counts them too. Each public function has its own pair. The moderators'
// functions (admin-*), the sign-in functions (auth*: once per sign-in) and get-challenge (a small,
// stateless one) are watched in groups of up to 10 (the most metrics one metric-math alarm may
// use): an error in any of them still alarms, and the stack stays under CloudFormation's 500 resources.
export const GROUP_SIZE = 10;

export const grouped = (name: string) => name.startsWith('admin-') || name === 'auth' || name.startsWith('auth-') || name === 'get-challenge';

export interface FunctionAlarmPlan {
  /** Functions with their own errors and throttles alarms. */
  single: string[];
  /** Groups sharing a pair: `admin-<n>-errors` and `admin-<n>-throttles`, n from 1. */
  groups: string[][];
}

export function functionAlarmPlan(names: readonly string[]): FunctionAlarmPlan {
  const admin = names.filter(grouped);
  const groups: string[][] = [];
  for (let i = 0; i < admin.length; i += GROUP_SIZE) groups.push(admin.slice(i, i + GROUP_SIZE));
  return { single: names.filter((n) => !grouped(n)), groups };
}

/** How many alarms watch the functions' errors and throttles. */
export function functionAlarmCount(names: readonly string[]): number {
  const plan = functionAlarmPlan(names);
  return 2 * (plan.single.length + plan.groups.length);
}
