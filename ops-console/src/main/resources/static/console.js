// What every page of the console shares: the header, calls of the console's API, charts and formatting.

export class ApiError extends Error {
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}

function cookie(name) {
    const found = document.cookie.split('; ').find(entry => entry.startsWith(name + '='));
    return found ? decodeURIComponent(found.substring(name.length + 1)) : '';
}

/** Calls the console's API; a change carries the CSRF token. A lost session sends the user to log in again. */
export async function api(path, {method = 'GET', body} = {}) {
    const headers = {'Accept': 'application/json, application/problem+json'};
    if (method !== 'GET') {
        headers['Content-Type'] = 'application/json';
        headers['X-XSRF-TOKEN'] = cookie('XSRF-TOKEN');
    }
    const response = await fetch(path, {method, headers, credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body)});
    if (response.status === 401) {
        location.assign('/oauth2/authorization/su7');
        throw new ApiError(401, 'Your session has ended: logging in again');
    }
    const text = await response.text();
    let data = null;
    try {
        data = text ? JSON.parse(text) : null;
    } catch (e) {
        data = {detail: text};
    }
    if (!response.ok) {
        const fields = data && Array.isArray(data.errors)
            ? ': ' + data.errors.map(error => `${error.field ?? error.pointer ?? ''} ${error.message ?? error.detail ?? ''}`.trim()).join('; ')
            : '';
        throw new ApiError(response.status, `${data?.title ?? response.statusText}: ${data?.detail ?? ''}${fields}`);
    }
    return data;
}

/** An element with attributes (on* are listeners) and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
        if (value === undefined || value === null || value === false) continue;
        if (name.startsWith('on')) element.addEventListener(name.substring(2), value);
        else element.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children.flat()) {
        if (child !== undefined && child !== null) element.append(child instanceof Node ? child : String(child));
    }
    return element;
}

export function number(value) {
    return value === undefined || value === null || Number.isNaN(value) ? '–' : Number(value).toLocaleString('en');
}

export function time(instant) {
    return instant ? new Date(instant).toLocaleString('en-GB', {dateStyle: 'short', timeStyle: 'medium'}) : '–';
}

/** Shows a message in a status element (role=status or alert), or clears it. */
export function say(element, message, kind = 'problem') {
    element.className = 'status ' + kind;
    element.textContent = message ?? '';
}

/** What could not be read, by source (a page built from several services), in words; '' when all answered. */
export function notAnswered(problems) {
    const entries = Object.entries(problems ?? {});
    return entries.length ? 'Not every service answered: ' + entries.map(([source, problem]) => `${source}: ${problem}`).join('; ') : '';
}

/** A table: columns are [heading, value(row) → text or node, class?]. */
export function table(caption, columns, rows, rowClass = () => null) {
    return el('table', {},
        caption ? el('caption', {class: 'visually-hidden'}, caption) : null,
        el('thead', {}, el('tr', {}, columns.map(([heading]) => el('th', {scope: 'col'}, heading)))),
        el('tbody', {}, rows.map(row => el('tr', {class: rowClass(row)},
            columns.map(([, value, cls]) => el('td', {class: typeof cls === 'function' ? cls(row) : cls}, value(row)))))));
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, ...children) {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    for (const child of children.flat()) if (child) element.append(child);
    return element;
}

/**
 * A bar chart by day: bars side by side per label, an optional dashed line (capacity), a legend, and the same
 * numbers as a table for screen readers and for copying.
 * series: [{name, cls, values}], line: {name, values} or null.
 */
export function barChart(figure, caption, labels, series, line = null) {
    const width = 640, height = 220, left = 44, bottom = 28, top = 8;
    const all = series.flatMap(s => s.values).concat(line ? line.values : []).filter(v => v !== null && v !== undefined);
    const max = Math.max(1, ...all);
    const plotHeight = height - bottom - top;
    const step = (width - left) / Math.max(1, labels.length);
    const barWidth = Math.max(2, (step - 4) / Math.max(1, series.length));
    const y = value => top + plotHeight - (value / max) * plotHeight;
    const chart = svg('svg', {class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': caption});
    chart.append(svg('line', {class: 'axis', x1: left, x2: width, y1: top + plotHeight, y2: top + plotHeight}));
    for (const tick of [0, max / 2, max]) {
        const label = svg('text', {x: left - 4, y: y(tick) + 4, 'text-anchor': 'end'});
        label.textContent = number(Math.round(tick));
        chart.append(label);
    }
    labels.forEach((label, i) => {
        series.forEach((s, j) => {
            const value = s.values[i] ?? 0;
            const bar = svg('rect', {class: s.cls, x: left + i * step + 2 + j * barWidth, y: y(value), width: barWidth,
                height: Math.max(0, top + plotHeight - y(value))});
            const title = svg('title');
            title.textContent = `${label} ${s.name}: ${number(value)}`;
            bar.append(title);
            chart.append(bar);
        });
        if (i % Math.ceil(labels.length / 7) === 0) {
            const text = svg('text', {x: left + i * step + step / 2, y: height - 8, 'text-anchor': 'middle'});
            text.textContent = label;
            chart.append(text);
        }
    });
    if (line) {
        const points = line.values.map((value, i) => `${left + i * step + 2},${y(value ?? 0)} ${left + (i + 1) * step - 2},${y(value ?? 0)}`);
        chart.append(svg('polyline', {class: 'capacity', points: points.join(' ')}));
    }
    const legend = el('ul', {class: 'legend'},
        series.map(s => el('li', {}, el('span', {class: 'swatch ' + s.cls, 'aria-hidden': 'true'}), s.name)),
        line ? el('li', {}, el('span', {class: 'swatch capacity', 'aria-hidden': 'true'}), line.name) : null);
    const columns = [['day', (row) => row.label]].concat(series.map(s => [s.name, row => number(row[s.name]), 'number']))
        .concat(line ? [[line.name, row => number(row[line.name]), 'number']] : []);
    const rows = labels.map((label, i) => {
        const row = {label};
        series.forEach(s => row[s.name] = s.values[i]);
        if (line) row[line.name] = line.values[i];
        return row;
    });
    const open = figure.querySelector('details.data')?.open;
    figure.replaceChildren(el('figcaption', {}, caption), chart, legend,
        el('details', {class: 'data', open}, el('summary', {}, 'The numbers'), table(caption, columns, rows)));
}

/** A line over time (the values this page has seen). points: [{at: Date, value}] */
export function lineChart(figure, caption, points) {
    const width = 640, height = 160, left = 52, bottom = 22, top = 8;
    const chart = svg('svg', {class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': caption});
    if (points.length > 1) {
        const min = Math.min(...points.map(p => p.value)), max = Math.max(min + 1, ...points.map(p => p.value));
        const t0 = points[0].at.getTime(), t1 = Math.max(t0 + 1, points[points.length - 1].at.getTime());
        const x = at => left + (at.getTime() - t0) / (t1 - t0) * (width - left);
        const y = value => top + (height - bottom - top) * (1 - (value - min) / (max - min));
        chart.append(svg('polyline', {class: 'total', points: points.map(p => `${x(p.at)},${y(p.value)}`).join(' ')}));
        for (const [value, at] of [[min, y(min)], [max, y(max)]]) {
            const label = svg('text', {x: left - 4, y: at + 4, 'text-anchor': 'end'});
            label.textContent = number(value);
            chart.append(label);
        }
        const span = svg('text', {x: width, y: height - 6, 'text-anchor': 'end'});
        span.textContent = `last ${Math.round((t1 - t0) / 1000)} s`;
        chart.append(span);
    }
    figure.replaceChildren(el('figcaption', {}, caption), chart);
}

/** The header: the pages, who is logged in, and logging out. */
export async function header(current) {
    const pages = [['/', 'Launch'], ['/preorder.html', 'Preorders'], ['/dead-letters.html', 'Dead letters'], ['/capacity.html', 'Capacity']];
    const user = el('span', {id: 'user'});
    // A form, not a call: logging out goes on to the authorization server, which ends its session too.
    const csrf = el('input', {type: 'hidden'});
    const logout = el('form', {method: 'post', action: '/logout'}, csrf, el('button', {type: 'submit', class: 'secondary'}, 'Log out'));
    document.querySelector('header').replaceChildren(
        el('h1', {}, 'SU7 launch control'),
        el('nav', {'aria-label': 'Pages'}, el('ul', {}, pages.map(([href, name]) =>
            el('li', {}, el('a', {href, 'aria-current': href === current ? 'page' : null}, name))))),
        el('div', {class: 'user'}, user, logout));
    const me = await api('/console/api/user');
    user.textContent = 'Logged in as ' + me.name;
    csrf.name = me.csrfParameter;
    csrf.value = me.csrfToken;
}
