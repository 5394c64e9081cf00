// Types for the spec that holds the parsers to strace's output (test/bench).
export function parseSummary(text: string): Record<string, number>;
export function countSyscallsDuring<T>(procs: { name: string; pid: number }[], fn: () => Promise<T>): Promise<T>;
export function perOperation(calls: Record<string, number>, operations: number, top?: number): string;
