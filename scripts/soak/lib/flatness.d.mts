export interface Point {
  /** ms */
  t: number;
  v: number;
}

export type Statistic = 'floor' | 'peak';

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
  statistic: Statistic;
  floor?: number[];
  peaks?: [number, number];
  driftOverWindow?: number;
  allowed?: number;
}

export declare const BUCKETS: number;
export declare function slope(points: Point[]): number;
export declare function floor(points: Point[]): Point[];
export declare function judge(points: Point[], tolerance: Tolerance, statistic: Statistic): Verdict;
export declare const TOLERANCE: Record<'fds' | 'rssBytes' | 'heapUsedBytes', Tolerance & { statistic: Statistic }>;
