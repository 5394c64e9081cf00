export interface Point {
  /** ms */
  t: number;
  v: number;
}

export interface Tolerance {
  relative: number;
  absolute: number;
}

export interface Verdict {
  flat: boolean;
  why?: string;
  samples: number;
  windowMinutes?: number;
  median?: number;
  min?: number;
  max?: number;
  floor?: number[];
  driftOverWindow?: number;
  perHour?: number;
  allowed?: number;
}

export declare const BUCKETS: number;
export declare function slope(points: Point[]): number;
export declare function floor(points: Point[]): Point[];
export declare function judge(points: Point[], tolerance: Tolerance): Verdict;
export declare const TOLERANCE: { fds: Tolerance; rssBytes: Tolerance; heapUsedBytes: Tolerance };
