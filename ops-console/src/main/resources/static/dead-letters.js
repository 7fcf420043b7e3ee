import {api, el, header, notAnswered, say, table, time} from './console.js';

const message = document.getElementById('message');
const filters = document.getElementById('filters');
let selected = null;

/** A record's key: a preorder id (a link to its timeline), or an app request's id. */
function key(letter) {
    if (!letter.preorderId) return '–';
    return letter.topic === 'app.preorder-requests' ? `request ${letter.preorderId}`
        : el('a', {href: `/preorder.html?id=${letter.preorderId}`}, letter.preorderId);
}

async function list() {
    const query = new URLSearchParams([...new FormData(filters)].filter(([, value]) => value.trim() !== ''));
    try {
        const answer = await api('/console/api/dead-letters?' + query);
        const letters = answer.deadLetters;
        const missing = notAnswered(answer.problems);
        say(message, `${letters.length} dead letter${letters.length === 1 ? '' : 's'}.` + (missing ? ' ' + missing : ''),
            missing ? 'warning' : 'ok');
        document.getElementById('letters').replaceChildren(letters.length ? table('Dead letters', [
            ['dead letter', letter => el('a', {href: `?service=${letter.service}&id=${letter.id}`, onclick: event => {
                event.preventDefault();
                show(letter.service, letter.id);
            }}, `${letter.service} #${letter.id}`)],
            ['when', letter => time(letter.createdAt)], ['state', letter => letter.state], ['topic', letter => letter.topic],
            ['consumer', letter => letter.consumer],
            ['key', key],
            ['reason', letter => letter.reason]], letters) : el('p', {}, 'No dead letters match.'));
    } catch (e) {
        say(message, e.message);
    }
}

async function show(service, id) {
    try {
        selected = await api(`/console/api/dead-letters/${encodeURIComponent(service)}/${encodeURIComponent(id)}`);
    } catch (e) {
        say(message, e.message);
        return;
    }
    document.getElementById('letter-title').textContent = `Dead letter ${service} #${id}`;
    const facts = [['service', service], ['state', selected.state], ['topic', `${selected.topic} (partition ${selected.partition}, offset ${selected.offset})`],
        ['consumer', selected.consumer], ['key', key(selected)], ['reason', selected.reason],
        ['exception', selected.exceptionClass], ['attempts', selected.attempts], ['redrives', selected.redrives],
        ['first failed', time(selected.firstFailedAt)], ['trace id', selected.traceId ?? '–'], ['resolution', selected.resolution ?? '–']];
    document.getElementById('letter-facts').replaceChildren(table('The dead letter', [['fact', fact => fact[0]],
        ['value', fact => fact[1] instanceof Node ? fact[1] : String(fact[1])]], facts));
    let payload = selected.payload ?? '';
    try {
        payload = JSON.stringify(JSON.parse(payload), null, 2);
    } catch (e) {
        // not JSON: shown as the service decoded it
    }
    document.getElementById('payload').textContent = payload;
    say(document.getElementById('redrive-result'), '', 'status');
    document.getElementById('redrive-lines').replaceChildren();

    // A redrive goes by filter: without a key it would take every letter of this consumer and topic, not this one.
    const redrivable = selected.state !== 'RESOLVED' && !!selected.preorderId;
    document.getElementById('dry-run').disabled = !redrivable;
    document.getElementById('redrive').disabled = !redrivable;
    if (!selected.preorderId) {
        say(document.getElementById('redrive-result'), 'This record has no key: redrive it with the service\'s API by consumer, topic and time.', 'warning');
    }
    document.getElementById('letter').hidden = false;
    history.replaceState(null, '', `?service=${service}&id=${id}`);
}

/** Redrives the selected letter's preorder on its consumer (a record without a key: its topic and consumer). */
async function redrive(dryRun) {
    const result = document.getElementById('redrive-result');
    const request = {consumer: selected.consumer, topic: selected.topic, preorderId: selected.preorderId ?? null, dryRun};
    try {
        const report = await api(`/console/api/dead-letters/${encodeURIComponent(selected.service)}/redrives`, {method: 'POST', body: request});
        if (!dryRun) {
            await Promise.all([list(), audit(), show(selected.service, selected.id)]);
        }
        say(result, dryRun
            ? `Dry run: ${report.matched} would be redriven; nothing was applied.`
            : `Redriven: ${report.matched} matched, ${report.applied} applied, ${report.alreadyApplied} already applied, `
              + `${report.failed} failed again, ${report.parked} parked.`, report.failed || report.parked ? 'warning' : 'ok');
        document.getElementById('redrive-lines').replaceChildren(table('Redrive', [
            ['dead letter', line => `#${line.deadLetterId}`], ['topic', line => line.topic], ['outcome', line => line.outcome],
            ['reason', line => line.reason ?? '']], report.letters ?? []));
    } catch (e) {
        say(result, e.message);
    }
}

async function audit() {
    const answer = await api('/console/api/dead-letters/redrives');
    const reports = answer.redrives;
    const missing = notAnswered(answer.problems);
    document.getElementById('redrives').replaceChildren(missing ? el('p', {class: 'status warning'}, missing) : '',
        reports.length ? table('Redrives done', [
        ['when', report => time(report.requestedAt)], ['service', report => report.service], ['by', report => report.requestedBy],
        ['dry run', report => report.dryRun ? 'yes' : 'no'], ['filter', report => report.filter],
        ['matched', report => report.matched, 'number'], ['applied', report => report.applied, 'number'],
        ['failed', report => report.failed, 'number'], ['parked', report => report.parked, 'number']], reports)
        : el('p', {}, 'None yet.'));
}

filters.addEventListener('submit', event => {
    event.preventDefault();
    list();
});
document.getElementById('dry-run').addEventListener('click', () => redrive(true));
document.getElementById('redrive').addEventListener('click', () => redrive(false));

await header('/dead-letters.html');
const asked = new URLSearchParams(location.search);
await Promise.all([list(), audit()]);
if (asked.get('service') && asked.get('id')) {
    show(asked.get('service'), asked.get('id'));
}
