import { describe, expect, it } from 'vitest';
import { alignWindow, zoomIn, zoomOut } from './zoomSteps';

describe('zoomIn', () => {
  it('halves the window around its middle', () => {
    expect(zoomIn({ from: 0, to: 3600 }, 60)).toEqual({ from: 900, to: 2700 });
  });
  it('stops at two steps', () => {
    expect(zoomIn({ from: 0, to: 120 }, 60)).toEqual({ from: 0, to: 120 });
  });
});

describe('zoomOut', () => {
  const range = { from: 0, to: 3600 };
  it('doubles the window around its middle', () => {
    expect(zoomOut({ from: 1200, to: 1800 }, range)).toEqual({ from: 900, to: 2100 });
  });
  it('slides back inside the range at its edges', () => {
    expect(zoomOut({ from: 0, to: 600 }, range)).toEqual({ from: 0, to: 1200 });
    expect(zoomOut({ from: 3000, to: 3600 }, range)).toEqual({ from: 2400, to: 3600 });
  });
  it('ends the zoom once the whole range is visible', () => {
    expect(zoomOut({ from: 900, to: 2700 }, range)).toBeUndefined();
  });
});

describe('alignWindow', () => {
  it('widens to whole steps', () => {
    expect(alignWindow({ from: 125.5, to: 301 }, 60)).toEqual({ from: 120, to: 360 });
  });
  it('keeps an aligned window', () => {
    expect(alignWindow({ from: 120, to: 360 }, 60)).toEqual({ from: 120, to: 360 });
  });
});
