import {api, barChart, el, header, lineChart, notAnswered, number, say} from './console.js';

const POLL_MILLIS = 2000;
/** ETA freshness is read over the polls of about the last minute. */
const FRESHNESS_WINDOW_MILLIS = 60_000;
const polls = [];

/** The q-quantile of the ages between two cumulative histograms ({le: count}), as Prometheus' histogram_quantile. */
function quantile(q, newer, older) {
    const bounds = Object.keys(newer).filter(le => le !== '+Inf').map(Number).sort((a, b) => a - b);
    const count = le => (newer[le] ?? 0) - (older?.[le] ?? 0);
    const total = (newer['+Inf'] ?? 0) - (older?.['+Inf'] ?? 0);
    if (total <= 0) return null;
    let below = 0, lower = 0;
    for (const bound of bounds) {
        const key = Object.keys(newer).find(le => Number(le) === bound);
        const upTo = count(key);
        if (upTo >= q * total) {
            return lower + (bound - lower) * (upTo - below > 0 ? (q * total - below) / (upTo - below) : 1);
        }
        below = upTo;
        lower = bound;
    }
    return Infinity;
}

function seconds(value) {
    if (value === null) return '–';
    if (value === Infinity) return '> 1 h';
    return value < 1 ? `${Math.round(value * 1000)} ms` : `${value.toFixed(1)} s`;
}

/** Sets a counter's value (and detail), making it on the first poll: updated in place, not re-made every poll. */
function counter(id, name, value, detail) {
    let element = document.getElementById(id);
    if (!element) {
        element = el('div', {class: 'counter', id}, el('dt', {}, name), el('dd', {}, el('span', {class: 'value'}), el('small', {})));
        document.getElementById('counters').append(element);
    }
    element.querySelector('.value').textContent = value;
    element.querySelector('small').textContent = detail ?? '';
}

function render(launch) {
    const at = new Date(launch.at);
    polls.push({at, total: launch.orders?.total ?? null, ages: launch.etaInputAge});
    while (polls.length > 2 && at - polls[0].at > 10 * 60_000) polls.shift();
    const older = [...polls].reverse().find(poll => at - poll.at >= FRESHNESS_WINDOW_MILLIS) ?? polls[0];

    const byStatus = launch.orders?.byStatus ?? {};
    const production = launch.production;
    const delivery = launch.delivery;
    const deadLetters = Object.entries(launch.deadLetters ?? {});
    const unresolved = deadLetters.reduce((sum, [, byState]) => sum + Object.values(byState).reduce((a, b) => a + b, 0), 0);
    const capacityToday = production?.plan?.[0]?.capacity;
    const freshnessDetail = older === polls[polls.length - 1] ? 'since the service started' : `last ${Math.round((at - older.at) / 1000)} s`;
    const p50 = quantile(0.5, launch.etaInputAge ?? {}, older === polls[polls.length - 1] ? null : older.ages);
    const p99 = quantile(0.99, launch.etaInputAge ?? {}, older === polls[polls.length - 1] ? null : older.ages);

    counter('preorders', 'Preorders', number(launch.orders?.total));
    counter('placed', 'Waiting for a unit', number(byStatus.PLACED));
    counter('built', 'Built', number(byStatus.BUILT));
    counter('scheduled', 'Hand-over scheduled', number(byStatus.DELIVERY_SCHEDULED));
    counter('cancelled', 'Cancelled', number(byStatus.CANCELLED));
    counter('queue', 'Production queue', number(production?.queueLength));
    counter('build-rate', 'Build rate per day', number(delivery ? Math.round(delivery.buildRatePerDay) : null),
        `capacity today ${number(capacityToday)}`);
    counter('dead-letters', 'Dead letters unresolved', number(unresolved),
        deadLetters.map(([service, byState]) => `${service} ${number(Object.values(byState).reduce((a, b) => a + b, 0))}`).join(' · '));
    counter('freshness', 'ETA freshness p50 / p99', `${seconds(p50)} / ${seconds(p99)}`,
        p50 === null ? `no unit built or hand-over scheduled in the ${freshnessDetail}`
            : `a built unit or schedule to the customer's ETA, ${freshnessDetail}`);

    if (production) {
        // The factory days that have ended (a day is built when it ends): what was placed on each, and built.
        const placed = new Map(production.placedPerDay.map(day => [day.date, day.placed]));
        const days = production.builtPerDay;
        barChart(document.getElementById('days-past'), 'Placed and built per factory day (the last 14 ended)',
            days.map(day => day.date.substring(5)),
            [{name: 'placed', cls: 'placed', values: days.map(day => placed.get(day.date) ?? 0)},
             {name: 'built', cls: 'built', values: days.map(day => day.built)}],
            {name: 'capacity', values: days.map(day => day.capacity)});
        barChart(document.getElementById('plan-ahead'), 'The queue on the capacity plan (the next 14 days)',
            production.plan.map(day => day.date.substring(5)),
            [{name: 'to build', cls: 'built', values: production.plan.map(day => day.projectedUnits)}],
            {name: 'capacity', values: production.plan.map(day => day.capacity)});
    }
    if (delivery) {
        const dates = delivery.centers[0]?.days.map(day => day.date) ?? [];
        const sum = (date, field) => delivery.centers.reduce((total, center) =>
            total + (center.days.find(day => day.date === date)?.[field] ?? 0), 0);
        barChart(document.getElementById('hand-overs'), 'Hand-overs booked per day, all centres',
            dates.map(date => date.substring(5)),
            [{name: 'booked', cls: 'scheduled', values: dates.map(date => sum(date, 'scheduled'))},
             {name: 'free', cls: 'free', values: dates.map(date => sum(date, 'free'))}]);
    }
    lineChart(document.getElementById('total-over-time'), 'Preorders while this page is open',
        polls.filter(poll => poll.total !== null).map(poll => ({at: poll.at, value: poll.total})));

    say(document.getElementById('problems'), notAnswered(launch.problems));
    document.getElementById('updated').textContent = `Updated ${at.toLocaleTimeString('en-GB')}, every ${POLL_MILLIS / 1000} s.`;
}

async function poll() {
    try {
        render(await api('/console/api/launch'));
    } catch (e) {
        say(document.getElementById('problems'), e.message);
    } finally {
        setTimeout(poll, POLL_MILLIS);
    }
}

await header('/');
poll();
