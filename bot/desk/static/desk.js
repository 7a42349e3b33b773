/* Akan-veilederen – counsellor desk. Plain JS; text is only ever set with
   textContent, never as HTML. Live updates over /desk/ws; every change goes
   over HTTP with the session's CSRF token in the X-CSRF-Token header. */
(function () {
  "use strict";

  var ROLES = {
    leder: "Leder/HR", kollega: "Kollega", parorende: "Pårørende", selv: "Gjelder seg selv",
    bht: "Bedriftshelsetjeneste", ansattrepresentant: "Ansattrepresentant", behandler: "Behandler"
  };
  var TOPICS = {
    hjemmekontor: "Hjemmekontor", bekymringssamtale: "Bekymringssamtale", akan_avtale: "Akan-avtale",
    signaler: "Signaler", tilbakefall: "Tilbakefall", policy: "Policy", testing: "Testing", juridisk: "Juridisk"
  };
  var SUBSTANCES = { alkohol: "Alkohol", narkotika: "Narkotika", legemidler: "Legemidler", spill: "Pengespill" };
  var REASONS = {
    crisis: "Krise", request_human: "Ba om veileder", misunderstanding: "Boten forstod ikke",
    no_recommendation: "Spørsmål uten anbefaling"
  };
  var SENDERS = { user: "Personen", counsellor: "Deg", bot: "Boten" };

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var current = null;
  var shown = {};
  var socket = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function api(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      if (response.status === 401) { window.location.href = "/desk/login"; throw new Error("signed out"); }
      if (response.status === 204) return {};
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data && data.error ? data.error : "Noe gikk galt.");
        return data;
      });
    });
  }

  function setStatus(text) { document.getElementById("desk-status").textContent = text; }

  function minutes(seconds) {
    var m = Math.floor(seconds / 60);
    return m < 1 ? "under ett minutt" : (m === 1 ? "1 minutt" : m + " minutter");
  }

  function describe(ticket) {
    var parts = [];
    if (ticket.role) parts.push(ROLES[ticket.role] || ticket.role);
    if (ticket.topic) parts.push(TOPICS[ticket.topic] || ticket.topic);
    if (ticket.substance) parts.push(SUBSTANCES[ticket.substance] || ticket.substance);
    return parts.length ? parts.join(" · ") : "Rolle og tema ukjent";
  }

  function ticketItem(ticket, buttonText, onClick) {
    var li = el("li", "desk-ticket" + (ticket.crisis ? " desk-ticket-crisis" : ""));
    li.setAttribute("data-ticket", String(ticket.id));
    var head = el("div", "desk-ticket-head");
    if (ticket.crisis) head.appendChild(el("strong", "desk-badge", "KRISE"));
    head.appendChild(el("span", "desk-ticket-what", describe(ticket)));
    li.appendChild(head);
    li.appendChild(el("div", "desk-ticket-meta",
      (REASONS[ticket.reason] || ticket.reason) + " · har ventet " + minutes(ticket.waiting_seconds)));
    if (ticket.recent_messages && ticket.recent_messages.length) {
      var quotes = el("ul", "desk-ticket-recent");
      ticket.recent_messages.forEach(function (text) { quotes.appendChild(el("li", null, text)); });
      li.appendChild(quotes);
    }
    var button = el("button", "desk-accept", buttonText);
    button.type = "button";
    button.addEventListener("click", function () { onClick(ticket, button); });
    li.appendChild(button);
    return li;
  }

  function loadQueue() {
    return api("GET", "/desk/api/queue").then(function (data) {
      var queue = document.getElementById("queue");
      var mine = document.getElementById("mine");
      queue.replaceChildren();
      mine.replaceChildren();
      data.waiting.forEach(function (ticket) { queue.appendChild(ticketItem(ticket, "Ta samtalen", accept)); });
      data.active.forEach(function (ticket) {
        mine.appendChild(ticketItem(ticket, "Åpne", function (t) { openChat(t.id); }));
      });
      if (!data.waiting.length) queue.appendChild(el("li", "desk-empty", "Ingen venter nå."));
      if (!data.active.length) mine.appendChild(el("li", "desk-empty", "Ingen pågående samtaler."));
      setStatus("Du er pålogget og tilgjengelig. " + data.waiting.length + " i kø.");
    }).catch(function (err) { setStatus(err.message); });
  }

  function accept(ticket, button) {
    button.disabled = true;
    api("POST", "/desk/api/tickets/" + ticket.id + "/accept").then(function () {
      openChat(ticket.id);
      loadQueue();
    }).catch(function (err) { setStatus(err.message); loadQueue(); });
  }

  function addMessage(message) {
    if (shown[message.id]) return;
    shown[message.id] = true;
    var log = document.getElementById("chat-log");
    var item = el("div", "desk-msg desk-msg-" + message.from);
    item.appendChild(el("span", "desk-msg-from", SENDERS[message.from] || message.from));
    item.appendChild(el("p", "desk-msg-text", message.text || ""));
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function openChat(ticketId) {
    api("GET", "/desk/api/tickets/" + ticketId + "/messages").then(function (data) {
      current = ticketId;
      shown = {};
      var chat = document.getElementById("chat");
      chat.hidden = false;
      document.getElementById("chat-title").textContent = "Samtale: " + describe(data.ticket);
      var summary = document.getElementById("chat-summary");
      summary.replaceChildren();
      summary.appendChild(el("dt", null, "Grunn"));
      summary.appendChild(el("dd", null, REASONS[data.ticket.reason] || data.ticket.reason));
      (data.ticket.recent_messages || []).forEach(function (text) {
        summary.appendChild(el("dt", null, "Skrev før overføringen"));
        summary.appendChild(el("dd", null, text));
      });
      document.getElementById("chat-log").replaceChildren();
      data.messages.forEach(addMessage);
      document.getElementById("chat-form").hidden = data.ticket.status !== "active";
      document.getElementById("chat-input").focus();
    }).catch(function (err) { setStatus(err.message); });
  }

  function closedChat(text) {
    document.getElementById("chat-form").hidden = true;
    document.getElementById("chat-log").appendChild(el("p", "desk-note", text));
    current = null;
  }

  function onFrame(frame) {
    if (frame.type === "queue") loadQueue();
    if (frame.type === "messages" && frame.ticket_id === current) frame.messages.forEach(addMessage);
    if (frame.type === "ended" && frame.ticket_id === current) {
      closedChat(frame.outcome === "ended" ? "Samtalen er avsluttet. Boten har tatt over igjen."
        : frame.outcome === "deleted" ? "Personen slettet samtalen." : "Personen avsluttet samtalen.");
      loadQueue();
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/desk/ws");
    socket.addEventListener("message", function (event) {
      try { onFrame(JSON.parse(event.data)); } catch (e) { /* ignore a broken frame */ }
    });
    socket.addEventListener("open", loadQueue);
    socket.addEventListener("close", function () {
      setStatus("Forbindelsen ble brutt. Kobler til igjen …");
      window.setTimeout(connect, 3000);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.getElementById("chat-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = document.getElementById("chat-input");
      var text = input.value.trim();
      if (!text || current === null) return;
      api("POST", "/desk/api/tickets/" + current + "/messages", { text: text }).then(function (data) {
        input.value = "";
        addMessage(data.message);
      }).catch(function (err) { setStatus(err.message); });
    });
    document.getElementById("chat-input").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        document.getElementById("chat-form").requestSubmit();
      }
    });
    document.getElementById("chat-end").addEventListener("click", function () {
      if (current === null) return;
      var ticketId = current;
      api("POST", "/desk/api/tickets/" + ticketId + "/end").then(function () {
        closedChat("Du avsluttet samtalen. Boten har tatt over igjen.");
        loadQueue();
      }).catch(function (err) { setStatus(err.message); });
    });
    connect();
    loadQueue();
    // Presence and a fallback for missed pushes: the queue request also says "still here".
    window.setInterval(function () {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send("ping");
      loadQueue();
    }, 20000);
  });
})();
