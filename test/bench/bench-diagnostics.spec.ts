import { summarizeAllocations } from '../../bench/lib/allocprofile.mjs';
import { parseSummary, perOperation } from '../../bench/lib/syscalls.mjs';

// What `strace -c -f` prints: the errors column is blank for calls that never failed.
const STRACE_SUMMARY = `% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 67.29    0.005440        1360         4         2 wait4
  7.12    0.000576           9        59           mmap
  7.09    0.000573           7        72        30 openat
  0.10    0.000012           6         2           epoll_pwait
------ ----------- ----------- --------- --------- ----------------
100.00    0.008084          29       137        32 total
`;

describe('bench diagnostics', () => {
  it("reads strace's summary with and without an errors column, leaving out the total", () => {
    expect(parseSummary(STRACE_SUMMARY)).toEqual({ wait4: 4, mmap: 59, openat: 72, epoll_pwait: 2 });
    expect(perOperation({ writev: 20, read: 30 }, 10, 1)).toBe('5.00 calls/op: read 3.00');
  });

  it('sums every node of a sampled allocation profile and ranks functions and packages by their own bytes', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 4, columnNumber: 0, scriptId: '1' });
    const profile = {
      head: {
        callFrame: frame('(root)', ''), selfSize: 0, children: [
          { callFrame: frame('handle', 'file:///x/node_modules/pkg/a.js'), selfSize: 100, children: [
            { callFrame: frame('write', 'file:///x/apps/api/src/w.js'), selfSize: 300, children: [] },
          ] },
          { callFrame: frame('handle', 'file:///x/node_modules/pkg/a.js'), selfSize: 50, children: [] },
        ],
      },
    };
    expect(summarizeAllocations(profile)).toEqual({
      totalBytes: 450,
      top: [['write /apps/api/src/w.js:5', 300], ['handle node_modules/pkg/a.js:5', 150]],
      byPackage: [['herald apps/api', 300], ['pkg', 150]],
    });
  });
});
