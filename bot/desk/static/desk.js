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
    crisis: "Krise", request_human: "Ba om veileder", misunderstood: "Boten forstod ikke",
    no_recommendation: "Spørsmål uten anbefaling"
  };
  var SENDERS = { user: "Personen", counsellor: "Deg", bot: "Boten" };
  // Before this handoff: a counsellor's words were an earlier live chat, maybe someone else's.
  var EARLIER_SENDERS = { user: "Personen", counsellor: "Veileder", bot: "Boten" };

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var current = null;
  var shown = {};
  var handoffAfter = null;
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
    if (ticket.status === "waiting") {
      var read = el("button", "desk-read", "Les samtalen");
      read.type = "button";
      read.addEventListener("click", function () { openChat(ticket.id); });
      li.appendChild(read);
    }
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

  function telHref(number) {
    return "tel:" + String(number).replace(/[^\d+]/g, "");
  }

  // What the widget showed with a bot reply besides its text: sources, the
  // emergency numbers, the other ways in, and the buttons it offered.
  function extras(message) {
    var lines = [];
    var custom = message.custom && typeof message.custom === "object" ? message.custom : null;
    if (custom && custom.type === "recommendations" && custom.sources && custom.sources.length) {
      lines.push(el("p", "desk-msg-extra", "Kilder: " + custom.sources.map(String).join("; ")));
    }
    if (custom && custom.type === "crisis" && custom.contacts && custom.contacts.length) {
      lines.push(el("p", "desk-msg-extra desk-msg-crisis", "Viste nødnumrene: " + custom.contacts.map(function (c) {
        return String(c.number) + " " + String(c.name);
      }).join(", ")));
    }
    if (custom && custom.type === "handoff" && custom.contacts && !Array.isArray(custom.contacts) &&
        (!custom.status || custom.status === "unavailable")) {
      var ways = [custom.contacts.phone, custom.contacts.email, custom.contacts.chat].filter(Boolean).map(String);
      if (ways.length) lines.push(el("p", "desk-msg-extra", "Viste kontaktinfo: " + ways.join(", ")));
    }
    if (message.buttons && message.buttons.length) {
      lines.push(el("p", "desk-msg-extra", "Svarforslag: " + message.buttons.map(function (b) {
        return String(b.title);
      }).join(" · ")));
    }
    return lines;
  }

  function addMessage(message) {
    if (shown[message.id]) return;
    shown[message.id] = true;
    var text = message.text ? String(message.text) : "";
    var more = extras(message);
    if (!text && !more.length) return;  // a payload the person never saw (a handoff's summary, say)
    var log = document.getElementById("chat-log");
    var earlier = handoffAfter !== null && message.id <= handoffAfter;
    var item = el("div", "desk-msg desk-msg-" + message.from + (earlier ? " desk-msg-earlier" : ""));
    item.appendChild(el("span", "desk-msg-from", (earlier ? EARLIER_SENDERS : SENDERS)[message.from] || message.from));
    if (text) item.appendChild(el("p", "desk-msg-text", text));
    more.forEach(function (line) { item.appendChild(line); });
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function addHandoffMark() {
    var log = document.getElementById("chat-log");
    log.appendChild(el("p", "desk-handoff-mark", "Overført til veileder"));
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
      var waiting = data.ticket.status === "waiting";
      if (waiting) {
        summary.appendChild(el("dt", null, "Status"));
        summary.appendChild(el("dd", null, "Venter i køen. Ta samtalen for å svare."));
      }
      // The whole conversation so far, as the person saw it, then the live chat.
      var log = document.getElementById("chat-log");
      log.setAttribute("aria-busy", "true");
      log.replaceChildren();
      handoffAfter = typeof data.handoff_after_id === "number" ? data.handoff_after_id : null;
      var marked = handoffAfter === null;
      data.messages.forEach(function (message) {
        if (!marked && message.id > handoffAfter) { addHandoffMark(); marked = true; }
        addMessage(message);
      });
      if (!marked) addHandoffMark();
      log.setAttribute("aria-busy", "false");
      document.getElementById("chat-form").hidden = data.ticket.status !== "active";
      if (!waiting) document.getElementById("chat-input").focus();
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
        : frame.outcome === "deleted" ? "Personen slettet samtalen."
        : frame.outcome === "timeout" ? "Ingen tok samtalen i tide. Boten har tatt over igjen."
        : "Personen avsluttet samtalen.");
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
    socket.addEventListener("close", function (event) {
      // 4401: this sign-in has ended (signed out, expired, or the account removed).
      if (event.code === 4401) { window.location.href = "/desk/login"; return; }
      // 4409: the desk was opened in a newer tab, which gets the pushes from now on.
      if (event.code === 4409) { setStatus("Desken er åpnet i en nyere fane. Last inn siden på nytt for å bruke den her."); return; }
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
