// Keeps the leases table live: the portal passes on the market's lease events (server-sent events)
// for the signed-in person; each one updates its lease's row, and a pre-emption notice is announced.
(function () {
  const live = document.getElementById('live');
  const notices = document.getElementById('notices');
  const events = new EventSource('/leases/events');
  events.onopen = function () {
    live.dataset.state = 'open';
    live.textContent = 'Live updates: on';
  };
  events.onerror = function () {
    live.dataset.state = 'retrying';
    live.textContent = 'Live updates: reconnecting…';
  };
  // Lease ids are time-ordered (UUIDv7): leases made in the same minute share their first digits, so
  // a lease is named by its last eight, the random part, as the server-rendered rows do.
  function shortId(id) {
    return '…' + String(id).slice(-8);
  }
  // An ISO instant as the server writes times, to the second: a notice is minutes long.
  function when(instant) {
    return instant ? String(instant).replace('T', ' ').replace(/(\.\d+)?Z$/, '') + ' UTC' : '';
  }
  // A lease made elsewhere (another tab, a program, a clearing round) gets a row at the top.
  function newRow(event) {
    const row = document.createElement('tr');
    row.id = 'lease-' + event.leaseId;
    const cells = ['link', 'state', 'resources', 'price', 'start', 'end', 'note'].map(function (name) {
      const cell = document.createElement('td');
      cell.className = name;
      row.appendChild(cell);
      return cell;
    });
    const link = document.createElement('a');
    link.href = '/leases/' + event.leaseId;
    link.textContent = shortId(event.leaseId);
    cells[0].appendChild(link);
    cells[6].textContent = 'new: reload for its details';
    document.querySelector('#leases tbody').prepend(row);
    return row;
  }
  events.onmessage = function (message) {
    let event;
    try { event = JSON.parse(message.data); } catch (e) { return; }
    let row = document.getElementById('lease-' + event.leaseId);
    if (event.kind === 'preempt-notice') {
      const p = document.createElement('p');
      p.className = 'problem';
      p.textContent = 'Lease ' + shortId(event.leaseId) + ' is pre-empted: it ends at '
        + when(event.end) + (event.reason ? ' (' + event.reason + ')' : '') + '.';
      notices.appendChild(p);
    }
    if (!row) {
      row = newRow(event);
    }
    const state = row.querySelector('.state');
    if (event.state) {
      state.textContent = event.state;
      state.dataset.state = event.state;
    }
    if (event.preemptedAt) {
      row.querySelector('.note').textContent = 'Pre-empted at ' + when(event.preemptedAt);
    }
    if (event.end) {
      row.querySelector('.end').textContent = when(event.end);
    }
  };
})();
