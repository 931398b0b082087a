// An estate's site plan drawn as SVG from the registry alone (no map tiles): the plan's outline,
// buildings as labelled blocks around their points, devices as markers whose shape says the kind
// and whose colour says the state. Markers are buttons: Tab reaches them, Enter opens one.
// While something is being placed, a click anywhere on the drawing (a marker too) picks the spot.
// The trajectory page draws the same plan with the places passed numbered in order.
import type { KeyboardEvent, MouseEvent } from 'react';
import { label, t } from '../shared/i18n';
import './plan.css';
import { blockSize, kindShape, markers, placed, toView, type Marker, type MarkerState, type PlanDevice, type Shape, type SitePlan, type View } from './site_plan';

export interface DrawingProps {
  plan: SitePlan;
  view: View;
  // The site plan page: each device's state, the ones to flash, the one selected.
  stateOf?: (device: PlanDevice) => MarkerState;
  flashing?: ReadonlySet<string>;
  selected?: string | null;
  onSelect?: (device: PlanDevice) => void;
  // Set while something is being placed: the spot clicked, in drawing units.
  onPlace?: (x: number, y: number) => void;
  // The trajectory page: the numbers of each device passed, and the order to join them in.
  stops?: ReadonlyMap<string, number[]>;
  route?: readonly string[];
}

const markerSize = 7;

export function ShapeMark({ shape, x, y, size = markerSize, className }: { shape: Shape; x: number; y: number; size?: number; className?: string }) {
  switch (shape) {
    case 'circle':
      return <circle className={className} cx={x} cy={y} r={size} />;
    case 'square':
      return <rect className={className} x={x - size} y={y - size} width={2 * size} height={2 * size} rx={1.5} />;
    case 'triangle':
      return <polygon className={className} points={`${x},${y - size * 1.2} ${x + size * 1.1},${y + size * 0.8} ${x - size * 1.1},${y + size * 0.8}`} />;
    default:
      return <polygon className={className} points={`${x},${y - size * 1.2} ${x + size * 1.2},${y} ${x},${y + size * 1.2} ${x - size * 1.2},${y}`} />;
  }
}

export function PlanDrawing({ plan, view, stateOf, flashing, selected, onSelect, onPlace, stops, route }: DrawingProps) {
  const block = blockSize(plan.buildings);
  const placedMarkers = markers(view, plan.devices);
  const at = new Map(placedMarkers.map((m) => [m.device.id, m]));
  const outline = toView(view, plan.estate.plan_width ?? 0, plan.estate.plan_height ?? 0);
  const path = (route ?? []).map((id) => at.get(id)).filter((m): m is Marker => m !== undefined);
  // Markers passed, or the one selected, are drawn last so that nothing covers them.
  const order = [...placedMarkers].sort((a, b) => rank(a) - rank(b));
  function rank(m: Marker) {
    return (stops?.has(m.device.id) ? 1 : 0) + (m.device.id === selected ? 2 : 0);
  }
  // The drawing is scaled to fit the page (and the page may be zoomed): the screen's matrix
  // inverted takes the pointer back into the drawing's own units.
  const place = (e: MouseEvent<SVGSVGElement>) => {
    const svg = e.currentTarget;
    const matrix = svg.getScreenCTM();
    if (!onPlace || !matrix) return;
    const point = svg.createSVGPoint();
    point.x = e.clientX;
    point.y = e.clientY;
    const at = point.matrixTransform(matrix.inverse());
    onPlace(at.x, at.y);
  };

  return (
    <svg
      className={`plan-drawing${onPlace ? ' placing' : ''}`}
      onClick={onPlace ? place : undefined}
      viewBox={`0 0 ${view.width} ${view.height}`}
      role="group"
      aria-label={t('plan.drawing', { name: plan.estate.name })}
      data-testid="plan-drawing"
    >
      <rect className="plan-ground" x={view.pad} y={view.pad} width={outline.x - view.pad} height={outline.y - view.pad} />
      {plan.buildings.filter(placed).map((b) => {
        const c = toView(view, b.plan_x!, b.plan_y!);
        const w = block.width * view.scale;
        const d = block.depth * view.scale;
        return (
          <g key={b.id} className="plan-building" data-building-id={b.id} aria-label={`${t('plan.building')} ${b.name}`} role="img">
            <rect x={c.x - w / 2} y={c.y - d / 2} width={w} height={d} rx={2} />
            <text x={c.x} y={c.y + d / 2 + 12} textAnchor="middle">
              {b.name}
            </text>
          </g>
        );
      })}
      {path.length > 1 && <polyline className="plan-route" points={path.map((m) => `${m.x},${m.y}`).join(' ')} />}
      {order.map((m) => {
        const d = m.device;
        const numbers = stops?.get(d.id);
        if (stops) {
          if (!numbers) return <ShapeMark key={d.id} shape={kindShape(d.kind)} x={m.x} y={m.y} size={4} className="plan-marker-idle" />;
          const text = numbers.join(',');
          const name = t('trajectory.stopMarker', { name: d.name, n: numbers.join('、') });
          return (
            <g key={d.id} className="plan-stop" data-device-id={d.id} data-stops={text} role="img" aria-label={name}>
              <title>{name}</title>
              <circle cx={m.x} cy={m.y} r={Math.max(9, 4 + 4 * text.length)} />
              <text x={m.x} y={m.y + 4} textAnchor="middle">
                {text}
              </text>
            </g>
          );
        }
        const state = stateOf ? stateOf(d) : d.online ? 'online' : 'offline';
        const name = t('plan.marker', { name: d.name, kind: label('deviceKind', d.kind), state: t(`plan.state.${state}`) });
        const open = () => onSelect?.(d);
        return (
          <g
            key={d.id}
            className={`plan-marker state-${state}${flashing?.has(d.id) ? ' flash' : ''}${d.id === selected ? ' selected' : ''}`}
            data-device-id={d.id}
            data-state={state}
            role="button"
            tabIndex={0}
            aria-label={name}
            aria-pressed={d.id === selected}
            onClick={onPlace ? undefined : open}
            onKeyDown={(e: KeyboardEvent) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                open();
              }
            }}
          >
            <title>{name}</title>
            <circle className="plan-hit" cx={m.x} cy={m.y} r={markerSize + 5} />
            <ShapeMark shape={kindShape(d.kind)} x={m.x} y={m.y} />
          </g>
        );
      })}
    </svg>
  );
}

// What the shapes and colours mean, in words beside the drawing.
export function PlanLegend() {
  const states: MarkerState[] = ['alerting', 'online', 'offline'];
  const shapes: Shape[] = ['circle', 'square', 'triangle', 'diamond'];
  return (
    <section className="plan-legend" aria-label={t('plan.legend')}>
      <h2>{t('plan.legend')}</h2>
      <ul>
        {states.map((s) => (
          <li key={s}>
            <svg viewBox="0 0 20 20" aria-hidden="true">
              <circle className={`legend-state state-${s}`} cx={10} cy={10} r={7} />
            </svg>
            {t(`plan.state.${s}`)}
          </li>
        ))}
        {shapes.map((s) => (
          <li key={s}>
            <svg viewBox="0 0 20 20" aria-hidden="true">
              <ShapeMark shape={s} x={10} y={10} size={6} className="legend-shape" />
            </svg>
            {t(`plan.shape.${s}`)}
          </li>
        ))}
        <li>
          <svg viewBox="0 0 20 20" aria-hidden="true">
            <rect className="legend-building" x={2} y={5} width={16} height={10} rx={2} />
          </svg>
          {t('plan.building')}
        </li>
      </ul>
    </section>
  );
}
