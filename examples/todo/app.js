// A collaborative to-do list on @livestate/client (the IIFE bundle, global LIVESTATE).
// URL hash options: token (token mode), name (shown to the others), room (default "todo").
// Each tab is one client: its id and pending changes are kept in IndexedDB under a key held in
// sessionStorage, so a reload (offline too, with sw.js serving the page) picks up where it was.
(function () {
  const options = new URLSearchParams(location.hash.slice(1));
  const random = () => Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('');
  let tab = sessionStorage.getItem('livestate-todo-tab');
  if (!tab) {
    tab = random();
    sessionStorage.setItem('livestate-todo-tab', tab);
  }
  const name = options.get('name') || 'guest ' + tab.slice(0, 4);
  const client = new LIVESTATE.LivestateClient(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, {
    token: options.get('token') || undefined,
    storage: LIVESTATE.indexedDbStorage('todo-' + tab),
  });
  const room = client.room(options.get('room') || 'todo', { create: { policy: 'last-writer-wins', durable: true } });
  window.todo = { client, room };

  const $ = (id) => document.getElementById(id);
  function render() {
    const list = $('items');
    list.replaceChildren();
    for (const [key, item] of Object.entries(room.state())) {
      if (!key.startsWith('item:') || !item) continue;
      const li = document.createElement('li');
      li.dataset.key = key;
      li.className = item.done ? 'done' : '';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = !!item.done;
      box.onchange = () => room.set(key, { ...item, done: box.checked });
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = item.text;
      const remove = document.createElement('button');
      remove.textContent = '✕';
      remove.title = 'Remove';
      remove.onclick = () => room.delete(key);
      li.append(box, text, remove);
      list.append(li);
    }
    renderWaiting();
  }
  function renderWaiting() {
    const waiting = room.pendingCount;
    $('waiting').textContent = waiting ? `${waiting} change${waiting === 1 ? '' : 's'} waiting to be sent` : '';
  }
  function renderPresence(others) {
    const names = Object.values(others).map((p) => p && p.name).filter(Boolean);
    $('here').textContent = 'Here: ' + [name + ' (you)', ...names].join(', ');
  }

  room.on('change', render);
  room.on('presence', renderPresence);
  room.on('conflict', render);
  room.on('pending', renderWaiting);
  client.on('status', (status) => {
    $('status').textContent = status;
    $('status').dataset.status = status;
    render();
  });
  room.restored.then(() => {
    render();
    renderPresence({});
    room.presence.set({ name });
  });
  $('add').onsubmit = (e) => {
    e.preventDefault();
    const text = $('text').value.trim();
    if (!text) return;
    room.set('item:' + Date.now().toString(36) + '-' + random(), { text, done: false });
    $('text').value = '';
  };


  if ('serviceWorker' in navigator) navigator.serviceWorker.register('sw.js');
})();
