// The places a trajectory passed, on the site plans: for each estate passed, its plan with the
// devices numbered in the order they were passed and joined by a line, and the same order in
// words beneath, so the drawing is never the only way to read it.
import { get } from '../shared/api';
import { t, useLang } from '../shared/i18n';
import { formatTime } from '../shared/time';
import { ErrorNote, Loading, useLoad } from '../shared/ui';
import { PlanDrawing } from './PlanDrawing';
import { planView, stopsByDevice, tracePlaces, type EstateTrace, type Passed, type SitePlan } from './site_plan';

const traceWidth = 480;

export function TrajectoryPlans({ items, estates }: { items: readonly Passed[]; estates: Record<number, string> }) {
  useLang();
  const traces = tracePlaces(items);
  if (traces.length === 0) return null;
  return (
    <section className="trajectory-places" aria-labelledby="places-title" data-testid="trajectory-places">
      <h2 id="places-title">{t('trajectory.places')}</h2>
      <p className="note">{t('trajectory.placesHint')}</p>
      <div className="trajectory-plans">
        {traces.map((trace) => (
          <TracePlan key={trace.estate_id} trace={trace} name={estates[trace.estate_id] ?? `#${trace.estate_id}`} />
        ))}
      </div>
    </section>
  );
}

function TracePlan({ trace, name }: { trace: EstateTrace; name: string }) {
  const plan = useLoad(() => get<SitePlan>(`/api/v1/estates/${trace.estate_id}/plan`), [trace.estate_id]);
  // Drawn narrower than the site plan page's, so that markers and names stay legible in a column.
  const view = plan.data ? planView(plan.data.estate, traceWidth) : null;
  const deviceName = (id: string) => plan.data?.devices.find((d) => d.id === id)?.name ?? id;
  return (
    <figure data-estate-id={trace.estate_id}>
      <figcaption>
        {name} <span className="count">{t('trajectory.stops', { n: trace.stops.length })}</span>
      </figcaption>
      {plan.error && !plan.data ? (
        <ErrorNote text={plan.error} retry={plan.reload} />
      ) : !plan.data ? (
        <Loading />
      ) : view ? (
        <PlanDrawing plan={plan.data} view={view} stops={stopsByDevice(trace.stops)} route={trace.stops.map((s) => s.device_id)} />
      ) : (
        <p className="note">{t('trajectory.noPlan', { name })}</p>
      )}
      <ol className="note">
        {trace.stops.map((s) => (
          <li key={s.n}>
            {deviceName(s.device_id)} · {formatTime(s.ts, { seconds: true }).slice(11)}
          </li>
        ))}
      </ol>
    </figure>
  );
}
