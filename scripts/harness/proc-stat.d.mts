export declare const TICKS_PER_SECOND: number;

export declare function procStat(pid: number): { comm: string; ppid: number; ticks: number; start: number };

export declare const cpuSeconds: (pid: number) => number;
