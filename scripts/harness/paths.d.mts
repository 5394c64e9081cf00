export declare const REPO_ROOT: string;

export declare const repoPath: (relative: string) => string;

export declare const DIST_MAIN: { readonly api: string; readonly gateway: string; readonly worker: string; readonly migrate: string; readonly cli: string };

export declare const DIST_DIR: string;

export declare function tempDir(stem: string, options?: { /** @default 0o700 (mkdtemp's) */ mode?: number }): string;

export declare const removeDir: (dir: string) => void;
