/* The live on-call queue.
 *
 * One WebSocket brings a snapshot on connect and then every change. If the socket drops it
 * reconnects with backoff (and the server sends a fresh snapshot, so nothing is missed); while
 * it cannot connect the page polls the same snapshot as JSON. Cards carry a version so an older
 * message never overwrites a newer one. New calls beep (WebAudio, no sound files); while any call
 * waits to be claimed, the red alarm shows its room in large type.
 */
(function () {
  "use strict";
  var root = document.getElementById("on-call-queue");
  if (!root) return;
  var openList = document.getElementById("on-call-open");
  var resolvedList = document.getElementById("on-call-resolved");
  var empty = document.getElementById("on-call-empty");
  var connection = document.getElementById("on-call-connection");
  var alarmBox = document.getElementById("on-call-alert");
  var errorBox = document.getElementById("on-call-error");
  var soundButton = document.getElementById("on-call-sound");
  var nextTier = root.dataset.nextTier === "1";
  var POLL_MS = 5000;
  var MAX_BACKOFF_MS = 30000;

  var socket = null;
  var retries = 0;
  var pollTimer = null;
  var escalationTimer = null;
  var known = {};
  Array.prototype.forEach.call(root.querySelectorAll("[data-id]"), function (el) {
    known[el.dataset.id] = true;
  });

  // ---- connection ------------------------------------------------------------------------
  function setMode(mode, text) {
    root.dataset.queueMode = mode;
    connection.className = "connection " + mode;
    connection.textContent = text;
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var opened = false;
    try {
      socket = new WebSocket(scheme + location.host + root.dataset.wsUrl);
    } catch (e) {
      socket = null;
      setMode("polling", "No live connection: checking every 5 seconds.");
      startPolling();
      scheduleReconnect();
      return;
    }
    socket.onopen = function () {
      opened = true;
      retries = 0;
      stopPolling();
      setMode("live", "Live: new calls appear here at once.");
    };
    socket.onmessage = function (message) {
      try {
        handle(JSON.parse(message.data));
      } catch (e) {
        if (window.console) console.error(e);
      }
    };
    socket.onclose = function () {
      socket = null;
      setMode("polling", opened ? "Connection lost: reconnecting, checking every 5 seconds."
                                : "No live connection: checking every 5 seconds.");
      startPolling();
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    var delay = Math.min(MAX_BACKOFF_MS, 500 * Math.pow(2, retries));
    retries += 1;
    setTimeout(connect, delay * (0.5 + Math.random() / 2));
  }

  function startPolling() {
    if (pollTimer) return;
    poll();
    pollTimer = setInterval(poll, POLL_MS);
  }

  function stopPolling() {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
  }

  function poll() {
    fetch(root.dataset.pollUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) handle(data); })
      .catch(function () { /* still offline: the next poll tries again */ });
  }

  function refresh() {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "refresh" }));
    else poll();
  }

  // ---- messages --------------------------------------------------------------------------
  function handle(message) {
    if (message.type === "snapshot") applySnapshot(message);
    else if (message.type === "event" || message.type === "error") {
      upsert(message.request, message.html);
      if (message.kind === "raised") announce(message.request);
      if (message.kind === "escalated" && nextTier) announce(message.request, true);
    }
    showError(message.type === "error" ? message.message : "");
    afterChange();
  }

  function applySnapshot(message) {
    var openIds = {};
    message.open.forEach(function (item) {
      openIds[item.id] = true;
      var isNew = !known[item.id];
      upsert(item, item.html);
      if (isNew) announce(item);
    });
    // Anything shown as open that the snapshot no longer lists was resolved while we were away.
    Array.prototype.forEach.call(openList.querySelectorAll(".oncall-card"), function (card) {
      if (!openIds[card.dataset.id]) card.remove();
    });
    message.resolved.slice().reverse().forEach(function (item) { upsert(item, item.html); });
  }

  function fromHtml(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function upsert(item, html) {
    known[item.id] = true;
    var current = document.getElementById("on-call-" + item.id);
    if (current && Number(current.dataset.version) > item.version) return;
    var el = fromHtml(html);
    if (item.is_open) {
      if (current && current.parentNode === openList) {
        keepOpenDetails(current, el);
        current.replaceWith(el);
      } else {
        if (current) current.remove();
        el.classList.add("fresh");
        openList.appendChild(el);
        sortOpen();
      }
    } else {
      if (current) current.remove();
      resolvedList.insertBefore(el, resolvedList.firstChild);
    }
    if (window.htmx) window.htmx.process(el);
  }

  function keepOpenDetails(oldCard, newCard) {
    // A person half-way through choosing an outcome keeps the form open.
    var oldDetails = oldCard.querySelector("details.resolve");
    var newDetails = newCard.querySelector("details.resolve");
    if (oldDetails && newDetails && oldDetails.open) newDetails.open = true;
  }

  function sortOpen() {
    var cards = Array.prototype.slice.call(openList.children);
    cards.sort(function (a, b) { return a.dataset.order < b.dataset.order ? -1 : 1; });
    cards.forEach(function (card) { openList.appendChild(card); });
  }

  function afterChange() {
    empty.hidden = openList.children.length > 0;
    showAlarm();
    updateAges();
    scheduleEscalationCheck();
  }

  // Escalation is decided by the server; when a card's time is up the page asks it to look, so
  // escalation shows even if no background worker is running.
  function scheduleEscalationCheck() {
    if (escalationTimer) clearTimeout(escalationTimer);
    var soonest = null;
    Array.prototype.forEach.call(openList.querySelectorAll("[data-escalate-at]"), function (card) {
      var at = Date.parse(card.dataset.escalateAt);
      if (!isNaN(at) && (soonest === null || at < soonest)) soonest = at;
    });
    if (soonest === null) return;
    escalationTimer = setTimeout(refresh, Math.max(1000, soonest - Date.now() + 1000));
  }

  function updateAges() {
    Array.prototype.forEach.call(root.querySelectorAll(".age[data-since]"), function (el) {
      var since = Date.parse(el.dataset.since);
      if (isNaN(since)) return;
      var minutes = Math.max(0, Math.floor((Date.now() - since) / 60000));
      el.textContent = minutes < 1 ? "(just now)" : "(" + minutes + " min ago)";
    });
  }
  setInterval(updateAges, 15000);

  // ---- attention: sound, vibration, the room in large type --------------------------------
  var audio = null;
  var soundOn = false;
  try { soundOn = localStorage.getItem("conduct.onCallSound") === "on"; } catch (e) { /* private mode */ }

  function showSoundState() {
    soundButton.hidden = false;
    soundButton.setAttribute("aria-pressed", soundOn ? "true" : "false");
    soundButton.textContent = soundOn ? "Sound: on" : "Sound: off (tap to turn on)";
  }

  soundButton.addEventListener("click", function () {
    soundOn = !soundOn;
    try { localStorage.setItem("conduct.onCallSound", soundOn ? "on" : "off"); } catch (e) { /* ignore */ }
    if (soundOn) beep(1);  // this tap is the gesture browsers need before they play sound
    showSoundState();
  });
  showSoundState();

  function beep(times) {
    var AudioContext = window.AudioContext || window.webkitAudioContext;
    if (!soundOn || !AudioContext) return;
    try {
      audio = audio || new AudioContext();
      if (audio.state === "suspended") audio.resume();
      for (var i = 0; i < times; i++) {
        var start = audio.currentTime + i * 0.35;
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = "square";
        osc.frequency.setValueAtTime(880, start);
        osc.frequency.setValueAtTime(1175, start + 0.12);
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.28);
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(start);
        osc.stop(start + 0.3);
      }
    } catch (e) { /* no sound on this device: the banner still shows */ }
  }

  function announce(item, escalated) {
    if (!item.is_open) return;
    beep(item.urgency === "emergency" || escalated ? 3 : 2);
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  }

  // The red alarm follows the queue, whatever changed it (the socket, polling, this person's own
  // button): up while any call waits for someone to claim it, naming the first in the queue;
  // down when none does.
  function showAlarm() {
    var waiting = openList.querySelectorAll('.oncall-card[data-status="open"]');
    if (!waiting.length) {
      alarmBox.hidden = true;
      alarmBox.textContent = "";
      delete alarmBox.dataset.id;
      return;
    }
    var card = waiting[0];
    var label = (card.classList.contains("escalated") ? "Escalated to SLT: "
      : "New on-call (" + card.dataset.urgency + "): ") + card.dataset.reason;
    if (waiting.length > 1) label += " (and " + (waiting.length - 1) + " more waiting)";
    if (alarmBox.dataset.id === card.dataset.id && alarmBox.dataset.label === label && !alarmBox.hidden) return;
    alarmBox.textContent = "";
    alarmBox.dataset.id = card.dataset.id;
    alarmBox.dataset.label = label;
    var room = document.createElement("span");
    room.className = "alert-room";
    room.textContent = card.dataset.where;
    var text = document.createElement("span");
    text.textContent = label;
    var show = document.createElement("button");
    show.type = "button";
    show.className = "button";
    show.textContent = "Show me";
    show.addEventListener("click", function () {
      var target = document.getElementById("on-call-" + alarmBox.dataset.id);
      if (target) target.scrollIntoView({ block: "start" });
    });
    alarmBox.appendChild(room);
    alarmBox.appendChild(text);
    alarmBox.appendChild(document.createElement("br"));
    alarmBox.appendChild(show);
    alarmBox.hidden = false;
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  // The card's own buttons post with htmx and get the changed card back as an event; the same
  // event also arrives over the socket and the version check keeps one copy.
  document.body.addEventListener("htmx:afterRequest", function (evt) {
    // The socket's copy of the change may have replaced the card (and the form that posted)
    // already: the form then no longer sits in the page, but it is still one of ours.
    var xhr = evt.detail.xhr;
    var elt = evt.detail.elt;
    if (!xhr || !elt || !(root.contains(elt) || elt.closest(".oncall-card"))) return;
    var data = null;
    try { data = JSON.parse(xhr.responseText); } catch (e) { return; }
    if (data && data.request) handle(data);
  });

  // For the browser tests (and a curious officer's console): the socket now, to drop it.
  window.conductOnCall = { socket: function () { return socket; } };

  setMode("loading", "Connecting…");
  showAlarm();
  connect();
})();
