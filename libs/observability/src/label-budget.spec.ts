import { LabelBudget } from './label-budget.js';

describe('LabelBudget', () => {
  it('keeps the first values it sees and counts the rest as other', () => {
    const sut = new LabelBudget(2);

    expect(['jobs', 'inventory', 'jobs', 'telemetry', 'inventory'].map((v) => sut.label(v))).toEqual(['jobs', 'inventory', 'jobs', 'other', 'inventory']);
  });
});
