// An ECharts chart drawn from the bundle (no CDN), sized to its box and redrawn on resize. Only the
// chart types the console uses are registered, to keep the download small.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

// `summary` is read out by screen readers in place of the picture.
export function Chart({ option, summary, height = 220 }: { option: ChartOption; summary: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!box.current) return;
    chart.current = echarts.init(box.current);
    const observer = new ResizeObserver(() => chart.current?.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    // Replaced whole, so that a series gone from the data leaves the chart too.
    chart.current?.setOption(option, true);
  }, [option]);
  return <div ref={box} className="chart" style={{ height }} role="img" aria-label={summary} />;
}

export const palette = ['#0b5cad', '#2f9e6b', '#d9822b', '#c23030', '#7a5bc7', '#5f6b7a'];
