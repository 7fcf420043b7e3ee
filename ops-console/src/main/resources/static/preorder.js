import {api, el, header, notAnswered, say, table, time} from './console.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const message = document.getElementById('message');

function range(earliest, latest) {
    return !earliest ? '–' : !latest || earliest === latest ? earliest : `${earliest} – ${latest}`;
}

/**
 * A service's value of an aspect: '–' where it has none (yet), 'n/a' where the service does not show it at all, 'no
 * answer' where the service could not be asked.
 */
function shown(timeline, aspect, service) {
    if (service in timeline.problems) return 'no answer';
    return service in aspect.values ? aspect.values[service] ?? '–' : 'n/a';
}

async function showPreorder(id) {
    document.getElementById('customer').hidden = true;
    const timeline = await api(`/console/api/preorders/${encodeURIComponent(id)}`);
    const orders = timeline.views.orders;
    document.getElementById('preorder-title').textContent = `Preorder ${timeline.preorderId}` + (orders ? ` of ${orders.customerId}` : '');
    const differing = timeline.projections.filter(aspect => !aspect.agree).map(aspect => aspect.name);
    const missing = notAnswered(timeline.problems);
    say(document.getElementById('agreement'), differing.length
        ? `The services disagree on: ${differing.join(', ')} (an event on its way, or one that went wrong).` + (missing ? ' ' + missing : '')
        : missing ? `The services that answered agree. ${missing}` : 'All three services agree.', differing.length || missing ? 'warning' : 'ok');
    document.getElementById('projections').replaceChildren(table('Projections', [
        ['aspect', aspect => aspect.name],
        ['orders-service', aspect => shown(timeline, aspect, 'orders')],
        ['production-service', aspect => shown(timeline, aspect, 'production')],
        ['delivery-service', aspect => shown(timeline, aspect, 'delivery')],
        ['agree', aspect => aspect.agree ? 'yes' : 'differs']],
        timeline.projections, aspect => aspect.agree ? null : 'differs'));
    document.getElementById('timeline').replaceChildren(table('Timeline', [
        ['when', event => time(event.at)], ['service', event => event.service], ['event', event => event.event],
        ['detail', event => event.detail]], timeline.events));
    document.getElementById('eta-history').replaceChildren(orders?.etaHistory?.length ? table('ETA history', [
        ['revision', change => change.revision, 'number'], ['when', change => time(change.at)], ['cause', change => change.cause],
        ['was', change => range(change.oldEarliest, change.oldLatest)], ['now', change => range(change.newEarliest, change.newLatest)]],
        orders.etaHistory) : el('p', {}, 'No ETA yet.'));
    document.getElementById('dead-letters').replaceChildren(timeline.deadLetters.length ? table('Dead letters', [
        ['service', letter => letter.service],
        ['dead letter', letter => el('a', {href: `/dead-letters.html?service=${letter.service}&id=${letter.id}`}, `#${letter.id}`)],
        ['state', letter => letter.state], ['reason', letter => letter.reason]], timeline.deadLetters)
        : el('p', {}, 'None.'));
    document.getElementById('preorder').hidden = false;
}

async function showCustomer(customerId) {
    document.getElementById('preorder').hidden = true;
    const page = await api(`/console/api/preorders?customerId=${encodeURIComponent(customerId)}`);
    const preorders = page.items;
    if (preorders.length === 0) {
        say(message, `Customer ${customerId} has no preorders.`, 'warning');
        return;
    }
    document.getElementById('customer-preorders').replaceChildren(table('Preorders of the customer', [
        ['preorder', preorder => el('a', {href: `?id=${preorder.id}`}, preorder.id)], ['placed', preorder => time(preorder.placedAt)],
        ['status', preorder => preorder.status], ['variant', preorder => preorder.variant]], preorders));
    document.getElementById('customer').hidden = false;
}

async function find(query) {
    say(message, '', 'status');
    try {
        if (UUID.test(query)) {
            await showPreorder(query);
        } else {
            await showCustomer(query);
        }
    } catch (e) {
        document.getElementById('preorder').hidden = true;
        say(message, e.message);
    }
}

document.getElementById('search').addEventListener('submit', event => {
    event.preventDefault();
    const query = document.getElementById('query').value.trim();
    history.replaceState(null, '', '?' + new URLSearchParams(UUID.test(query) ? {id: query} : {customer: query}));
    find(query);
});

await header('/preorder.html');
const asked = new URLSearchParams(location.search);
const query = asked.get('id') ?? asked.get('customer');
if (query) {
    document.getElementById('query').value = query;
    find(query);
}
