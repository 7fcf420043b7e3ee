import {api, el, header, number, say, table, time} from './console.js';

let plan = null;
let previewedPlan = null;
let previewedCenter = null;

function moved(days) {
    return days ? `p50 ${number(days.p50)}, p95 ${number(days.p95)}, max ${number(days.max)} days` : '–';
}

/** What a preview or a change did, as the service answered it. */
function outcome(rows) {
    return table('Outcome', [['what', row => row[0]], ['how many', row => row[1], 'number']], rows.filter(row => row[1] !== undefined));
}

async function loadPlan() {
    plan = await api('/console/api/capacity/plan');
    document.getElementById('plan').replaceChildren(table('Capacity plan', [
        ['from', period => period.from], ['until (exclusive)', period => period.to ?? 'open-ended'],
        ['units per day', period => number(period.unitsPerDay), 'number']], plan.periods));
    const from = document.getElementById('plan-from');
    if (!from.value) from.value = plan.today;
}

/** The plan from the form: its period, then (with an end) the plan as it stands from that end on. */
function planChange() {
    const form = new FormData(document.getElementById('plan-form'));
    const from = form.get('from'), until = form.get('until'), unitsPerDay = Number(form.get('unitsPerDay'));
    const periods = [{from, to: until || null, unitsPerDay}];
    if (until) {
        for (const period of plan.periods) {
            if (period.to !== null && period.to <= until) continue;
            periods.push({from: period.from < until ? until : period.from, to: period.to, unitsPerDay: period.unitsPerDay});
        }
    }
    return {from, periods, reason: form.get('reason')};
}

function planRows(answer) {
    return [['queued preorders', answer.queued], ['would move earlier', answer.movedEarlier], ['earlier by', moved(answer.daysEarlier)],
        ['would move later', answer.movedLater], ['later by', moved(answer.daysLater)], ['unchanged', answer.unchanged],
        ['newly estimated', answer.newlyEstimated], ['no longer estimated', answer.noLongerEstimated]];
}

document.getElementById('plan-form').addEventListener('submit', async event => {
    event.preventDefault();
    const result = document.getElementById('plan-result');
    previewedPlan = planChange();
    try {
        const answer = await api('/console/api/capacity/plan/preview', {method: 'POST', body: previewedPlan});
        say(result, `Preview: ${number(answer.movedEarlier)} customers would move earlier and ${number(answer.movedLater)} later. `
            + 'Nothing has changed yet.', 'ok');
        document.getElementById('plan-outcome').replaceChildren(outcome(planRows(answer)));
        document.getElementById('plan-apply').disabled = false;
    } catch (e) {
        previewedPlan = null;
        document.getElementById('plan-apply').disabled = true;
        say(result, e.message);
    }
});

document.getElementById('plan-apply').addEventListener('click', async () => {
    const result = document.getElementById('plan-result');
    try {
        await api('/console/api/capacity/plan', {method: 'PUT', body: previewedPlan});
        say(result, `Applied: the plan changes from ${previewedPlan.from}.`, 'ok');
        document.getElementById('plan-apply').disabled = true;
        await loadPlan();
    } catch (e) {
        say(result, e.message);
    }
});

// A changed form needs a new preview before it can be applied.
document.getElementById('plan-form').addEventListener('input', () => document.getElementById('plan-apply').disabled = true);
document.getElementById('center-form').addEventListener('input', () => document.getElementById('center-apply').disabled = true);

async function loadCenters() {
    const centers = await api('/console/api/capacity/centers');
    document.getElementById('centers').replaceChildren(table('Delivery centres', [
        ['centre', center => center.name], ['city', center => center.city], ['transit days', center => center.transitDays, 'number'],
        ['hand-overs per day', center => number(center.dailyCapacity), 'number'], ['changed', center => time(center.updatedAt)]], centers));
    const select = document.getElementById('center-city');
    const chosen = select.value;
    select.replaceChildren(...centers.map(center => el('option', {value: center.city, selected: center.city === chosen}, center.name)));
}

document.getElementById('center-form').addEventListener('submit', async event => {
    event.preventDefault();
    const result = document.getElementById('center-result');
    const form = new FormData(event.target);
    previewedCenter = {city: form.get('city'), dailyCapacity: Number(form.get('dailyCapacity')), reason: form.get('reason')};
    try {
        const answer = await api(`/console/api/capacity/centers/${encodeURIComponent(previewedCenter.city)}/preview`,
            {method: 'POST', body: {dailyCapacity: previewedCenter.dailyCapacity}});
        say(result, `Preview: ${number(answer.handOversMovedEarlier)} hand-overs would move earlier. Nothing has changed yet.`
            + (answer.note ? ` (${answer.note})` : ''), 'ok');
        document.getElementById('center-outcome').replaceChildren(outcome([
            ['hand-overs per day now', answer.currentCapacity], ['hand-overs per day then', answer.newCapacity],
            ['would move earlier', answer.handOversMovedEarlier], ['earlier by', moved(answer.daysEarlier)]]));
        document.getElementById('center-apply').disabled = false;
    } catch (e) {
        previewedCenter = null;
        document.getElementById('center-apply').disabled = true;
        say(result, e.message);
    }
});

document.getElementById('center-apply').addEventListener('click', async () => {
    const result = document.getElementById('center-result');
    try {
        const answer = await api(`/console/api/capacity/centers/${encodeURIComponent(previewedCenter.city)}`,
            {method: 'PUT', body: {dailyCapacity: previewedCenter.dailyCapacity, reason: previewedCenter.reason}});
        say(result, `Applied: ${number(answer.handOversMovedEarlier)} hand-overs moved earlier.`, 'ok');
        document.getElementById('center-apply').disabled = true;
        await loadCenters();
    } catch (e) {
        say(result, e.message);
    }
});

await header('/capacity.html');
await Promise.all([loadPlan(), loadCenters()]);
