import type { TimeWindow } from '@ipscope/charts';
import type { ChartInstance } from './echartsCore';

/**
 * Drag across the plot to zoom to the dragged span (a shaded band shows it while dragging);
 * double-click to see the whole range again. Calls `zoom` with the chosen window in unix
 * seconds, or undefined for the whole range. Returns the unsubscribe.
 */
export function dragToZoom(instance: ChartInstance, el: HTMLElement, band: HTMLDivElement | null, zoom: (window: TimeWindow | undefined) => void): () => void {
  const zr = instance.getZr();
  let start: number | undefined;
  const inPlot = (x: number, y: number) => instance.containPixel({ gridIndex: 0 }, [x, y]);
  const timeAt = (x: number) => Number(instance.convertFromPixel({ xAxisIndex: 0 }, x)) / 1000;
  const show = (a: number, b: number) => {
    if (!band) return;
    band.hidden = false;
    band.style.left = `${Math.min(a, b)}px`;
    band.style.width = `${Math.abs(b - a)}px`;
  };
  const hide = () => {
    if (band) band.hidden = true;
  };
  const onDown = (e: { offsetX: number; offsetY: number }) => {
    start = inPlot(e.offsetX, e.offsetY) ? e.offsetX : undefined;
  };
  const onMove = (e: { offsetX: number }) => {
    if (start !== undefined) show(start, e.offsetX);
  };
  const onUp = (e: { offsetX: number }) => {
    const from = start;
    start = undefined;
    hide();
    if (from === undefined || Math.abs(e.offsetX - from) < 4) return;
    const [a, b] = [timeAt(from), timeAt(e.offsetX)].sort((x, y) => x - y) as [number, number];
    if (Number.isFinite(a) && Number.isFinite(b) && b > a) zoom({ from: a, to: b });
  };
  const onDoubleClick = (e: { offsetX: number; offsetY: number }) => {
    if (inPlot(e.offsetX, e.offsetY)) zoom(undefined);
  };
  const onLeave = () => {
    start = undefined;
    hide();
  };
  zr.on('mousedown', onDown);
  zr.on('mousemove', onMove);
  zr.on('mouseup', onUp);
  zr.on('dblclick', onDoubleClick);
  zr.on('globalout', onLeave);
  el.style.cursor = 'crosshair';
  return () => {
    zr.off('mousedown', onDown);
    zr.off('mousemove', onMove);
    zr.off('mouseup', onUp);
    zr.off('dblclick', onDoubleClick);
    zr.off('globalout', onLeave);
  };
}
