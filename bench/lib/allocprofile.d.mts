// Types for the spec that holds the summary to V8's profile shape (test/bench).
interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocationNode[];
}
export interface AllocationSummary {
  totalBytes: number;
  top: [where: string, bytes: number][];
  byPackage: [owner: string, bytes: number][];
}
export function summarizeAllocations(profile: { head: AllocationNode }, top?: number): AllocationSummary;
export function allocationsDuring<T>(proc: { inspectPort: number }, fn: () => Promise<T>): Promise<T>;
export function allocationLine(allocations: AllocationSummary, operations: number, top?: number): string;
