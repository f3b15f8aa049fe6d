import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { holdDraw, pendingDraws } from '../../components/drawScheduler';
import { DrawTracker } from './drawTracker';

const marks = (name: string) => performance.getEntriesByName(name).length;

describe('DrawTracker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    performance.clearMarks();
    performance.clearMeasures();
  });
  afterEach(() => vi.useRealTimers());

  it('marks the first wave (charts started in one task) and then every chart drawn', () => {
    const drawn: number[] = [];
    const tracker = new DrawTracker((n) => drawn.push(n));
    tracker.started('a');
    tracker.started('b');
    tracker.finished('a');
    vi.runAllTimers();
    tracker.started('c'); // a later task: an off-screen chart
    tracker.finished('b');
    expect(marks('ipscope:charts-visible')).toBe(1);
    expect(marks('ipscope:charts-drawn')).toBe(0);
    tracker.finished('c');
    expect(marks('ipscope:charts-drawn')).toBe(1);
    expect(drawn).toEqual([1]);
  });

  it('completes when only some charts redraw (the others kept their data)', () => {
    const drawn: number[] = [];
    const tracker = new DrawTracker((n) => drawn.push(n));
    tracker.started('a');
    tracker.finished('a');
    vi.runAllTimers();
    expect(drawn).toEqual([1]);
    expect(marks('ipscope:charts-drawn')).toBe(1);
  });

  it('times a zoom from the request to the first wave and to the last chart', () => {
    const tracker = new DrawTracker(() => undefined);
    tracker.zoomRequested();
    tracker.started('a');
    tracker.finished('a');
    vi.runAllTimers();
    expect(performance.getEntriesByName('ipscope:zoom', 'measure')).toHaveLength(1);
    expect(performance.getEntriesByName('ipscope:zoom-all', 'measure')).toHaveLength(1);
    expect(marks('ipscope:charts-drawn')).toBe(0);
  });

  it('ignores a finish it did not see start', () => {
    const drawn: number[] = [];
    const tracker = new DrawTracker((n) => drawn.push(n));
    tracker.finished('x');
    vi.runAllTimers();
    expect(drawn).toEqual([]);
  });

  it('waits for the last part of the data: charts drawn from the first part do not complete the page', () => {
    const drawn: number[] = [];
    const tracker = new DrawTracker((n) => drawn.push(n));
    tracker.setLoading(true);
    tracker.started('a');
    tracker.finished('a');
    vi.runAllTimers();
    expect(marks('ipscope:charts-visible')).toBe(1);
    expect(drawn).toEqual([]);
    tracker.started('b');
    tracker.setLoading(false);
    expect(drawn).toEqual([]);
    tracker.finished('b');
    expect(drawn).toEqual([1]);
    expect(marks('ipscope:charts-drawn')).toBe(1);
  });

  it('completes when the last part brings nothing to draw', () => {
    const drawn: number[] = [];
    const tracker = new DrawTracker((n) => drawn.push(n));
    tracker.setLoading(true);
    tracker.started('a');
    tracker.finished('a');
    vi.runAllTimers();
    tracker.setLoading(false);
    expect(drawn).toEqual([1]);
    expect(marks('ipscope:charts-drawn')).toBe(1);
  });

  it('does not mark the page drawn while a chart still waits for ECharts to load', () => {
    const tracker = new DrawTracker(() => undefined);
    tracker.setLoading(true);
    const release = holdDraw();
    tracker.setLoading(false); // the data is here, the chart is not drawn yet
    vi.runAllTimers();
    expect(marks('ipscope:charts-drawn')).toBe(0);
    tracker.started('a'); // ECharts arrived: the chart draws, then lets go of its hold
    release();
    expect(marks('ipscope:charts-drawn')).toBe(0);
    tracker.finished('a');
    vi.runAllTimers();
    expect(marks('ipscope:charts-drawn')).toBe(1);
    tracker.dispose();
  });

  it('counts a released hold once, however often it is released', () => {
    const before = pendingDraws();
    const release = holdDraw();
    expect(pendingDraws()).toBe(before + 1);
    release();
    release();
    expect(pendingDraws()).toBe(before);
  });
});
